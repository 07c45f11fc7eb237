#!/bin/bash
# vlan-qinq.pcap: CRAFTED. sipcraft.py writes the pcap file directly (no
# traffic is sent): a complete direct call alice (127.0.0.11) -> bob
# (127.0.0.12) in Ethernet frames tagged 802.1Q (0x8100 VID 100), 802.1ad QinQ
# (0x88a8 VID 200 + 0x8100 VID 100) and legacy double 802.1Q (0x8100 VID 200 +
# 0x8100 VID 100). Fixed timestamps (2025-01-01 12:00 UTC), deterministic.
GEN=$(cd "$(dirname "$0")/.." && pwd)
python3 "$GEN/sipcraft.py" vlan "${OUT:-$GEN/..}/vlan-qinq.pcap"

#!/bin/bash
# call-sll.pcap / call-sll2.pcap: call-normal captured with `tcpdump -i any`
# -y LINUX_SLL (Linux cooked capture v1, DLT_LINUX_SLL = 113) and
# `tcpdump -i any -y LINUX_SLL2` (DLT_LINUX_SLL2 = 276).
# Usage: call-sll.sh                          -> call-sll.pcap
#        call-sll.sh call-sll2.pcap -y LINUX_SLL2 -> call-sll2.pcap
if [ $# -gt 0 ]; then
	exec bash "$(dirname "$0")/call-normal.sh" "$1" -i any "${@:2}"
fi
# tcpdump 4.99 defaults to SLL2 on "any": ask for v1 explicitly
exec bash "$(dirname "$0")/call-normal.sh" call-sll.pcap -i any -y LINUX_SLL

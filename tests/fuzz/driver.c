/*
 * driver.c: replay saved inputs through a fuzz target without libFuzzer.
 *
 * Linked with one tests/fuzz/fuzz_*.c file, it calls the target's
 * LLVMFuzzerTestOneInput() once per file named on the command line, so
 * every input a fuzzer ever found a bug with stays a regression test in
 * the ordinary (and the ASan/UBSan) `make check`.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));

int
main(int argc, char **argv)
{
	FILE	*fp;
	uint8_t	*buf;
	long	 len;
	int	 i;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if ((fp = fopen(argv[i], "rb")) == NULL ||
		    fseek(fp, 0, SEEK_END) == -1 || (len = ftell(fp)) < 0 ||
		    fseek(fp, 0, SEEK_SET) == -1) {
			perror(argv[i]);
			return (99);
		}
		if ((buf = malloc((size_t)len + 1)) == NULL ||
		    fread(buf, 1, (size_t)len, fp) != (size_t)len) {
			perror(argv[i]);
			return (99);
		}
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, (size_t)len);
		free(buf);
	}
	printf("%d input(s) replayed\n", argc - 1);
	return (0);
}

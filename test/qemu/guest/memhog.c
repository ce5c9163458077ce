/*
 * memhog KIB: a card program that needs KIB KiB of resident memory. It writes every page,
 * prints "memhog: holding KIB KiB" and waits to be killed; the kernel's OOM killer ends
 * it when the camera has not that much left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	long kib = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
	size_t size = (size_t)kib * 1024, off;
	unsigned char *p;

	if (kib <= 0) {
		fprintf(stderr, "usage: memhog KIB\n");
		return 2;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("memhog: mmap");
		return 1;
	}
	for (off = 0; off < size; off += 4096)
		p[off] = 0x5a;
	printf("memhog: holding %ld KiB\n", kib);
	fflush(stdout);
	for (;;)
		pause();
}

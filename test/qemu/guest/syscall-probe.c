/*
 * syscall-probe NR...
 *
 * Calls each system call NR with harmless arguments (-1, 0, 0: a bad descriptor or an
 * empty buffer) and prints "NR:ENOSYS" when the kernel (or the camera-kernel filter)
 * does not have it, "NR:present" otherwise. Only for numbers whose calls do nothing
 * with those arguments (getrandom, setns, getpid, ...).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		long nr = strtol(argv[i], NULL, 0);
		long r = syscall(nr, -1L, 0L, 0L);

		printf("%ld:%s\n", nr, r == -1 && errno == ENOSYS ? "ENOSYS" : "present");
	}
	return 0;
}

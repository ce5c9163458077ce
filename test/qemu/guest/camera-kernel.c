/*
 * camera-kernel TABLE PROGRAM [ARG...]
 *
 * Gives PROGRAM, and everything it starts, the system-call surface of the camera's own
 * kernel: a seccomp filter answers ENOSYS for every ARM EABI system-call number that
 * kernel did not have, then PROGRAM is executed. TABLE lists the numbers the kernel had,
 * one "FIRST-LAST" range (decimal) per line; lines starting with '#' are comments.
 * The emulated cameras' /init: the stock firmware model runs under it.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define MAX_RANGES 100

struct range {
	unsigned long first, last;
};

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "camera-kernel: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(127);
}

static size_t read_table(const char *file, struct range *ranges)
{
	char line[128];
	size_t n = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		die("cannot open the system-call table", file);
	while (fgets(line, sizeof line, f)) {
		char *end;
		unsigned long first, last;

		if (!strchr(line, '\n') && !feof(f))
			die("line too long in the system-call table", line);
		if (line[0] == '#' || line[0] == '\n')
			continue;
		errno = 0;
		first = strtoul(line, &end, 10);
		if (errno || *end != '-')
			die("bad line in the system-call table (want FIRST-LAST)", line);
		last = strtoul(end + 1, &end, 10);
		if (errno || (*end != '\n' && *end != '\0') || last < first)
			die("bad line in the system-call table (want FIRST-LAST)", line);
		if (n == MAX_RANGES)
			die("too many ranges in the system-call table", file);
		ranges[n].first = first;
		ranges[n].last = last;
		n++;
	}
	fclose(f);
	if (n == 0)
		die("empty system-call table", file);
	return n;
}

int main(int argc, char **argv)
{
	struct range ranges[MAX_RANGES];
	struct sock_filter prog[4 + 2 * MAX_RANGES + 2];
	struct sock_fprog fprog;
	size_t n, i, len = 0;

	if (argc < 3)
		die("usage: camera-kernel TABLE PROGRAM [ARG...]", NULL);
	n = read_table(argv[1], ranges);

	prog[len++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	prog[len++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_ARM, 1, 0);
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL);
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (i = 0; i < n; i++) {
		/* the ALLOW return is the last instruction: 2 per remaining range and the ENOSYS one */
		size_t to_allow = 2 * (n - i - 1) + 1;

		prog[len++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, ranges[i].first, 0, 1);
		prog[len++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, ranges[i].last, 0, (unsigned char)to_allow);
	}
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

	fprog.len = (unsigned short)len;
	fprog.filter = prog;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0)
		die("cannot install the seccomp filter", strerror(errno));
	execv(argv[2], argv + 2);
	die("cannot execute", argv[2]);
	return 127;
}

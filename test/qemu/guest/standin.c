/*
 * standin: every vendor program of an emulated camera's stock firmware, as one binary
 * reached through links named like the programs (/home/rmm -> /usr/lib/stock/standin).
 *
 * A call is logged as "stock-call: NAME ARG..." to /tmp/stock-calls.log and the console,
 * so tests can check what the card asked for. The stand-in then holds the resident
 * memory the real program holds (anonymous pages, written: the cameras have no swap, so
 * they stay) and runs the model's behaviour for it, "/etc/stock/NAME.sh ARG...", as its
 * child: it ends when the behaviour ends, and the behaviour is killed with it (killall
 * NAME). Without a behaviour script it runs until killed, like a daemon.
 *
 * /etc/stock/standins has one line per program: NAME KIB [DAEMON_FLAG]. With DAEMON_FLAG
 * among the arguments (wpa_supplicant -B), the program goes to the background as the
 * real one does, and the caller's call returns once the behaviour says it is initialised
 * (a line on file descriptor 9, as wpa_supplicant -B returns after taking the interface),
 * or after 10 s; it fails (1) when the behaviour ends without saying it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#define TABLE "/etc/stock/standins"
#define CALLS "/tmp/stock-calls.log"

static void log_call(const char *name, int argc, char **argv)
{
	char line[1024];
	size_t n;
	int i, fd;

	n = (size_t)snprintf(line, sizeof line, "stock-call: %s", name);
	for (i = 1; i < argc && n < sizeof line - 2; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, " %s", argv[i]);
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	fd = open(CALLS, O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd >= 0) {
		if (write(fd, line, n) < 0) {
			/* the log is for tests; the call goes on */
		}
		close(fd);
	}
	fd = open("/dev/console", O_WRONLY | O_NOCTTY);
	if (fd >= 0) {
		if (write(fd, line, n) < 0) {
		}
		close(fd);
	}
}

/* The table's line for `name`: its memory in KiB and its daemon flag ("" if none). */
static int look_up(const char *name, long *kib, char *flag, size_t flag_size)
{
	char line[256], n[64], f[32];
	FILE *t = fopen(TABLE, "r");

	if (!t)
		return -1;
	while (fgets(line, sizeof line, t)) {
		long k;
		int fields = sscanf(line, "%63s %ld %31s", n, &k, f);

		if (fields < 2 || n[0] == '#' || strcmp(n, name) != 0)
			continue;
		*kib = k;
		snprintf(flag, flag_size, "%s", fields == 3 ? f : "");
		fclose(t);
		return 0;
	}
	fclose(t);
	return -1;
}

static void hold_memory(const char *name, long kib)
{
	size_t size = (size_t)kib * 1024, off;
	unsigned char *p;

	if (size == 0)
		return;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "%s: cannot hold %ld KiB: %s\n", name, kib, strerror(errno));
		exit(1);
	}
	for (off = 0; off < size; off += 4096)
		p[off] = 0xa5;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	char script[128], flag[32];
	long kib;
	int i, status;
	pid_t child;

	log_call(name, argc, argv);
	if (look_up(name, &kib, flag, sizeof flag) != 0) {
		fprintf(stderr, "standin: %s is not in %s\n", name, TABLE);
		return 127;
	}
	for (i = 1; flag[0] && i < argc; i++) {
		int ready[2];
		if (strcmp(argv[i], flag) != 0)
			continue;
		if (pipe(ready) < 0)
			return 1;
		child = fork();
		if (child < 0)
			return 1;
		if (child > 0) {
			struct pollfd p = { .fd = ready[0], .events = POLLIN };
			char c;
			close(ready[1]);
			/* a behaviour that ends before it says so failed to start, as the real
			 * program's -B then returns an error */
			if (poll(&p, 1, 10000) > 0 && read(ready[0], &c, 1) != 1)
				return 1;
			return 0;
		}
		setsid();
		close(ready[0]);
		if (ready[1] != 9) {
			dup2(ready[1], 9);
			close(ready[1]);
		}
		break;
	}
	hold_memory(name, kib);
	snprintf(script, sizeof script, "/etc/stock/%s.sh", name);
	if (access(script, R_OK) != 0) {
		for (;;)
			pause();
	}
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		char **args = calloc((size_t)argc + 3, sizeof *args);

		if (!args)
			_exit(1);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		args[0] = "sh";
		args[1] = script;
		for (i = 1; i < argc; i++)
			args[i + 1] = argv[i];
		execv("/bin/sh", args);
		_exit(127);
	}
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

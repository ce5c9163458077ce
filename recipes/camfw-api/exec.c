/*
 * Running the card's own programs: a fixed argument vector and a fixed environment, never
 * a shell command line, so no value of a request can become code.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "api.h"

static char *const ENVIRONMENT[] = { "PATH=/usr/bin:/usr/sbin:/bin:/sbin", NULL };

/*
 * The child's side: stdin from /dev/null, stdout and stderr to `out`, every other
 * descriptor closed (a daemon it starts must not hold lighttpd's).
 */
static void child(const char *const argv[], int out)
{
	int null = open("/dev/null", O_RDONLY), fd;
	long max = sysconf(_SC_OPEN_MAX);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(127);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		close(fd);
	signal(SIGPIPE, SIG_DFL);
	execve(argv[0], (char *const *)argv, ENVIRONMENT);
	_exit(127);
}

int run_program(const char *const argv[], char *output, size_t size)
{
	int pipefd[2], status;
	size_t got = 0;
	pid_t pid;

	if (size)
		output[0] = '\0';
	fflush(stdout);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0)
		child(argv, pipefd[1]);
	close(pipefd[1]);
	for (;;) {
		char buf[512];
		ssize_t n = read(pipefd[0], buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (size && got + 1 < size) {
			size_t take = (size_t)n < size - 1 - got ? (size_t)n : size - 1 - got;
			memcpy(output + got, buf, take);
			got += take;
			output[got] = '\0';
		}
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run_detached(const char *const argv[])
{
	pid_t pid;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		setsid();
		if (null < 0)
			_exit(127);
		child(argv, null);
	}
	return 0;
}

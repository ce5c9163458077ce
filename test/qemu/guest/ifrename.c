/*
 * ifrename OLD NEW: gives a network interface the name the camera's driver gives it
 * (BusyBox has no nameif or ip in camfw's configuration). The emulated cameras' uevent
 * helper runs it when the Wi-Fi driver stand-in registers eth0.
 */
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	struct ifreq ifr;
	int fd;

	if (argc != 3 || strlen(argv[1]) >= IFNAMSIZ || strlen(argv[2]) >= IFNAMSIZ) {
		fprintf(stderr, "usage: ifrename OLD NEW\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("ifrename: socket");
		return 1;
	}
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, argv[1]);
	strcpy(ifr.ifr_newname, argv[2]);
	if (ioctl(fd, SIOCSIFNAME, &ifr) != 0) {
		perror("ifrename: SIOCSIFNAME");
		return 1;
	}
	close(fd);
	return 0;
}

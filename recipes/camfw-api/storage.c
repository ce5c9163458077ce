/*
 * The card's data partition and the card around it (Xiaofang: p2, ext2, holds the card
 * directory): their sizes, how much the partition can grow, and the grow. Growing
 * rewrites p2's MBR entry to the end of the card (camfw-grow-part), leaves a note on the
 * card's first partition (camfw-resize) and reboots; at the next boot the card's
 * bootstrap/grow-data.sh checks and grows the filesystem while it is not mounted, before
 * camfw uses it, and says on p1 what failed if it did (camfw-resize-error.txt). Only on
 * cameras whose features (CAMFW_FEATURES) have "storage".
 *
 *   GET  /api/storage        disk, partition and filesystem sizes in bytes, what can grow,
 *                            the state of a grow asked for: none, pending, failed (+ error)
 *   POST /api/storage/grow   grow to the card and reboot; 409 when there is nothing to
 *                            grow or a grow waits for the next boot already
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "api.h"

/* The note for the next boot, and what the boot writes when it fails (p1: the boot's grow-data.sh reads and writes them). */
#define NOTE "camfw-resize"
#define FAILED "camfw-resize-error.txt"
/* Less than this to gain is nothing to grow. */
#define GROW_MIN (1ULL << 20)
/* An MBR's sector numbers are 32 bits: nothing past 2 TiB. */
#define MBR_LIMIT_BYTES (0x100000000ULL * 512)

struct storage {
	char disk[48];
	/* where the card's first partition is mounted; "" when it is not */
	char p1[256];
	unsigned long long disk_bytes, start_bytes, part_bytes, fs_bytes, growable;
};

static int read_number(const char *dir, const char *name, unsigned long long *v)
{
	char p[PATH_MAX + 32];
	FILE *f;
	int ok;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	if (!(f = fopen(p, "r")))
		return -1;
	ok = fscanf(f, "%llu", v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

/* A "MAJOR:MINOR" file of sysfs as a device number. */
static int read_devnum(const char *dir, const char *name, dev_t *d)
{
	char p[PATH_MAX + 64];
	unsigned ma, mi;
	FILE *f;
	int ok;
	snprintf(p, sizeof p, "%s/%s/dev", dir, name);
	if (!(f = fopen(p, "r")))
		return -1;
	ok = fscanf(f, "%u:%u", &ma, &mi) == 2;
	fclose(f);
	if (ok)
		*d = makedev(ma, mi);
	return ok ? 0 : -1;
}

static unsigned long long le32(const unsigned char *p)
{
	return (unsigned long long)p[0] | (unsigned long long)p[1] << 8 | (unsigned long long)p[2] << 16 | (unsigned long long)p[3] << 24;
}

/* The size of the ext2 filesystem at `offset` of the disk, from its superblock. */
static int ext2_bytes(const char *disk, unsigned long long offset, unsigned long long *bytes, char *why, size_t size)
{
	unsigned char sb[1024];
	int fd = open(disk, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : pread(fd, sb, sizeof sb, (off_t)(offset + 1024));
	unsigned long long log;
	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof sb) {
		snprintf(why, size, "cannot read the data partition's superblock from %s (%s)", disk, n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	log = le32(sb + 24);
	if (sb[56] != 0x53 || sb[57] != 0xef || log > 6) {
		snprintf(why, size, "the data partition holds no ext2 filesystem");
		return -1;
	}
	*bytes = le32(sb + 4) << (10 + log);
	return 0;
}

/* Where the partition `dev` is mounted, from /proc/mounts: the mount point whose files are on it. */
static void mounted_at(dev_t dev, char *out, size_t size)
{
	char line[1024], point[512];
	FILE *f = fopen("/proc/mounts", "r");
	struct stat st;
	out[0] = '\0';
	while (f && fgets(line, sizeof line, f)) {
		/* a mount point with spaces is written with octal escapes: none of the card's */
		if (sscanf(line, "%*s %511s", point) != 1 || strchr(point, '\\'))
			continue;
		if (stat(point, &st) == 0 && st.st_dev == dev && strlen(point) < size) {
			memcpy(out, point, strlen(point) + 1);
			break;
		}
	}
	if (f)
		fclose(f);
}

/*
 * The card as the kernel sees it, found from the card directory's own filesystem (never
 * from a name given): its partition in sysfs (/sys/dev/block/MAJ:MIN), the disk above it,
 * the disk's node in /dev, the filesystem's size from its superblock, and p1's mount.
 */
static int storage_probe(struct storage *s, char *why, size_t size)
{
	char part[64], real[PATH_MAX], disk[PATH_MAX], *name, *partname, p1name[40], p2name[40];
	unsigned long long start, sectors, disk_sectors, limit, end;
	struct stat st, node;
	dev_t disk_dev, p1_dev;
	const char *p;

	memset(s, 0, sizeof *s);
	if (stat(card_dir(), &st) < 0) {
		snprintf(why, size, "cannot stat the card directory %s (%s)", card_dir(), strerror(errno));
		return -1;
	}
	snprintf(part, sizeof part, "/sys/dev/block/%u:%u", major(st.st_dev), minor(st.st_dev));
	if (!realpath(part, real) || read_number(real, "start", &start) < 0 || read_number(real, "size", &sectors) < 0) {
		snprintf(why, size, "the card directory is not on a partition of a disk (%s)", part);
		return -1;
	}
	memcpy(disk, real, sizeof disk);
	partname = strrchr(disk, '/');
	*partname++ = '\0';
	name = strrchr(disk, '/') + 1;
	if (!*name || strlen(name) > 31 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789") != strlen(name) || read_number(disk, "size", &disk_sectors) < 0 ||
	    read_devnum(disk, ".", &disk_dev) < 0) {
		snprintf(why, size, "no disk above the card's partition in %s", disk);
		return -1;
	}
	/* the kernel numbers the partitions in their names: mmcblk0's are mmcblk0p1..., vda's vda1... */
	p = name[strlen(name) - 1] >= '0' && name[strlen(name) - 1] <= '9' ? "p" : "";
	snprintf(p1name, sizeof p1name, "%s%s1", name, p);
	snprintf(p2name, sizeof p2name, "%s%s2", name, p);
	if (strcmp(partname, p2name)) {
		snprintf(why, size, "the card directory is on %s, not on the card's data partition (%s)", partname, p2name);
		return -1;
	}
	snprintf(s->disk, sizeof s->disk, "/dev/%s", name);
	if (stat(s->disk, &node) < 0 || !S_ISBLK(node.st_mode) || node.st_rdev != disk_dev) {
		snprintf(why, size, "%s is not the card's disk", s->disk);
		return -1;
	}
	s->disk_bytes = disk_sectors * 512;
	s->start_bytes = start * 512;
	s->part_bytes = sectors * 512;
	if (ext2_bytes(s->disk, s->start_bytes, &s->fs_bytes, why, size) < 0)
		return -1;
	if (read_devnum(disk, p1name, &p1_dev) == 0)
		mounted_at(p1_dev, s->p1, sizeof s->p1);
	limit = s->disk_bytes < MBR_LIMIT_BYTES ? s->disk_bytes : MBR_LIMIT_BYTES;
	end = s->start_bytes + s->fs_bytes;
	s->growable = limit > end ? limit - end : 0;
	return 0;
}

/* The last line of a program's output, without its newline (what it said last: why it refused). */
static const char *last_line(char *text)
{
	size_t n = strlen(text);
	char *nl;
	while (n && text[n - 1] == '\n')
		text[--n] = '\0';
	nl = strrchr(text, '\n');
	return nl ? nl + 1 : text;
}

static int on_p1(const struct storage *s, const char *file, char *out, size_t size)
{
	struct stat st;
	snprintf(out, size, "%s/%s", s->p1, file);
	return s->p1[0] && lstat(out, &st) == 0;
}

/* The camera has the feature, else a 404 (the Xiaofang's card has the partition to grow; the YI's is one FAT partition). */
static int storage_feature(void)
{
	static struct conf c;
	if (settings_load(&c) < 0)
		return 0;
	if (!has_feature(&c, "storage")) {
		reply_error(404, NULL, "this camera's card has no data partition to grow");
		return 0;
	}
	return 1;
}

void route_storage(void)
{
	static struct buf out;
	struct session session;
	struct storage s;
	char why[PATH_MAX + 200], p[600], text[1025];

	if (!logged_in_get(&session) || !storage_feature())
		return;
	if (storage_probe(&s, why, sizeof why) < 0) {
		reply_error(500, NULL, "%s", why);
		return;
	}
	buf_init(&out);
	buf_add(&out, "{\"disk_bytes\":%llu,\"partition_bytes\":%llu,\"filesystem_bytes\":%llu,\"growable_bytes\":%llu,\"grow_min_bytes\":%llu,\"state\":",
		s.disk_bytes, s.part_bytes, s.fs_bytes, s.growable >= GROW_MIN ? s.growable : 0, GROW_MIN);
	if (on_p1(&s, FAILED, p, sizeof p)) {
		size_t n = read_tail(p, text, sizeof text - 1);
		buf_add(&out, "\"failed\",\"error\":");
		buf_string(&out, utf8_valid(text, n) ? text : "(not text)");
	} else {
		buf_add(&out, "%s,\"error\":null", on_p1(&s, NOTE, p, sizeof p) ? "\"pending\"" : "\"none\"");
	}
	buf_add(&out, "}");
	reply_buf(&out);
}

void route_storage_grow(void)
{
	struct session session;
	struct storage s;
	char why[PATH_MAX + 200], tool[512], output[1024], p[600];
	const char *argv[] = { tool, s.disk, NULL };
	int rc;

	if (logged_in_post(&session) < 0 || !storage_feature())
		return;
	if (storage_probe(&s, why, sizeof why) < 0) {
		reply_error(500, NULL, "%s", why);
		return;
	}
	if (!s.p1[0]) {
		reply_error(500, NULL, "the card's first partition is not mounted: the note for the next boot has nowhere to go");
		return;
	}
	if (on_p1(&s, NOTE, p, sizeof p) && !on_p1(&s, FAILED, p, sizeof p)) {
		reply_error(409, NULL, "the data partition grows at the next boot already: reboot the camera (System page)");
		return;
	}
	if (s.growable < GROW_MIN) {
		reply_error(409, NULL, "nothing to grow: the data partition fills the card (%llu MB of %llu MB)", s.fs_bytes >> 20, s.disk_bytes >> 20);
		return;
	}
	/*
	 * First the table, then the note, then the reboot. A power cut between them leaves a
	 * partition larger than its filesystem, which mounts as before; this page offers the
	 * grow again, and camfw-grow-part then finds the table done (3) and the note is written.
	 */
	snprintf(tool, sizeof tool, "%s/usr/lib/camfw/camfw-grow-part", card_dir());
	rc = run_program(argv, output, sizeof output);
	if (rc == 2) {
		reply_error(409, NULL, "the card's partition table is not camfw's layout, left as it is: %s", last_line(output));
		return;
	}
	if (rc != 0 && rc != 3) {
		reply_error(500, NULL, "camfw-grow-part failed (exit %d): %s", rc, last_line(output));
		return;
	}
	snprintf(p, sizeof p, "%s/%s", s.p1, FAILED);
	if (unlink(p) < 0 && errno != ENOENT) {
		reply_error(500, NULL, "cannot remove %s (%s): the next boot would not grow the filesystem", p, strerror(errno));
		return;
	}
	snprintf(p, sizeof p, "%s/%s", s.p1, NOTE);
	/* vfat holds no modes: -1 keeps its own */
	if (write_file_atomic(p, "camfw: grow the data partition's filesystem to the partition at the next boot (asked on the web page)\n", -1) < 0) {
		reply_error(500, NULL, "the partition is grown, but the note for the next boot cannot be written (%s): ask again", strerror(errno));
		return;
	}
	if (reboot_soon() < 0) {
		reply_error(500, NULL, "the data partition grows at the next boot, but the reboot did not start: reboot the camera (System page)");
		return;
	}
	reply_json(200, NULL, "{\"ok\":true,\"rebooting\":true,\"growable_bytes\":%llu}", s.growable);
}

/*
 * camfw-grow-part: grows the last partition of the Xiaofang's card, p2 (ext2, type 0x83),
 * to the end of the disk by rewriting its MBR entry: the same start sector, a new size.
 * The filesystem is not touched (resize2fs grows it at the next boot, unmounted: the
 * card's bootstrap/grow-data.sh). It refuses anything but the card's own layout: an MBR
 * (no GPT, no extended partitions) whose p1 lies before p2, p2 of type 0x83 and last, p3
 * and p4 empty, p2 inside the disk and smaller than the space up to its end.
 *
 *   camfw-grow-part [--check] DISK
 *
 * DISK is the whole card (/dev/mmcblk0), or an image file. --check changes nothing.
 * Output: key=value lines (disk_sectors, p2_start, p2_sectors, new_sectors), then what
 * it did; a refusal is one line on stderr. Exit status: 0 grown (or growable, with
 * --check), 1 an I/O error, 2 refused (not the card's layout), 3 nothing to grow.
 *
 * A power cut: the table is one 512-byte sector, written at once and synced; the card
 * keeps the old entry or the new one, with the same start, so p2 mounts either way.
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SECTOR = 512, TABLE = 446, ENTRY = 16, OK = 0, IO = 1, REFUSED = 2, NOTHING = 3 };

/* The MBR's 32-bit sector numbers: nothing at or past 2^32 sectors (2 TiB) is addressable. */
#define MBR_LIMIT 0x100000000ULL

struct entry {
	unsigned char boot, type;
	uint32_t start, sectors;
};

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static struct entry entry_at(const unsigned char *mbr, int i)
{
	const unsigned char *e = mbr + TABLE + ENTRY * i;
	struct entry r;
	r.boot = e[0];
	r.type = e[4];
	r.start = le32(e + 8);
	r.sectors = le32(e + 12);
	return r;
}

/* The CHS address of a sector for a 255-head, 63-sector geometry; 1023/254/63 past its reach, as fdisk writes it. */
static void put_chs(unsigned char *p, uint64_t lba)
{
	uint64_t c = lba / (255 * 63), h = lba / 63 % 255, s = lba % 63 + 1;
	if (c > 1023) {
		c = 1023;
		h = 254;
		s = 63;
	}
	p[0] = (unsigned char)h;
	p[1] = (unsigned char)(s | (c >> 2 & 0xc0));
	p[2] = (unsigned char)c;
}

static int refuse(const char *disk, const char *why)
{
	fprintf(stderr, "camfw-grow-part: %s: %s\n", disk, why);
	return REFUSED;
}

static int io_error(const char *disk, const char *what)
{
	fprintf(stderr, "camfw-grow-part: %s: %s: %s\n", disk, what, strerror(errno));
	return IO;
}

/* The disk's size in sectors: a block device's own (512-byte sectors only), an image file's length. */
static int disk_sectors(int fd, const char *disk, uint64_t *sectors)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return io_error(disk, "stat");
	if (S_ISBLK(st.st_mode)) {
		uint64_t bytes;
		int logical;
		if (ioctl(fd, BLKSSZGET, &logical) < 0 || ioctl(fd, BLKGETSIZE64, &bytes) < 0)
			return io_error(disk, "cannot read the disk's size");
		if (logical != SECTOR)
			return refuse(disk, "not a disk of 512-byte sectors");
		*sectors = bytes / SECTOR;
	} else if (S_ISREG(st.st_mode)) {
		*sectors = (uint64_t)st.st_size / SECTOR;
	} else {
		return refuse(disk, "not a disk or an image file");
	}
	return OK;
}

/* What the entries say: OK with p2's new size, or why not. */
static int check_table(const unsigned char *mbr, const char *disk, uint64_t sectors, uint32_t *new_sectors)
{
	struct entry e[4], p1, p2;
	uint64_t end;
	int i;

	if (mbr[510] != 0x55 || mbr[511] != 0xaa)
		return refuse(disk, "no MBR partition table (no 55 AA signature)");
	for (i = 0; i < 4; i++) {
		e[i] = entry_at(mbr, i);
		if (e[i].boot != 0 && e[i].boot != 0x80)
			return refuse(disk, "no MBR partition table (an entry's boot flag is neither 00 nor 80: a boot sector without a table?)");
		if (e[i].type == 0xee)
			return refuse(disk, "a GPT disk (protective MBR): not the card's layout");
		if (e[i].type == 0x05 || e[i].type == 0x0f || e[i].type == 0x85)
			return refuse(disk, "an extended partition: not the card's layout");
	}
	p1 = e[0];
	p2 = e[1];
	if (p2.type != 0x83) {
		char why[96];
		snprintf(why, sizeof why, "partition 2 is of type 0x%02x, not Linux (0x83)", p2.type);
		return refuse(disk, why);
	}
	if (e[2].type || e[2].sectors || e[3].type || e[3].sectors)
		return refuse(disk, "partition 3 or 4 exists: partition 2 is not the last one");
	if (!p1.type || !p1.sectors)
		return refuse(disk, "no partition 1: not the card's layout");
	if (!p2.start || !p2.sectors)
		return refuse(disk, "partition 2 is empty");
	if ((uint64_t)p1.start + p1.sectors > p2.start)
		return refuse(disk, "partition 1 does not end before partition 2: partition 2 is not the last one");
	end = (uint64_t)p2.start + p2.sectors;
	if (end > sectors)
		return refuse(disk, "partition 2 ends beyond the disk (a cut image?)");
	if (sectors > MBR_LIMIT)
		sectors = MBR_LIMIT;
	*new_sectors = sectors - p2.start > 0xffffffffULL ? 0xffffffffU : (uint32_t)(sectors - p2.start);
	if (*new_sectors <= p2.sectors)
		return NOTHING;
	return OK;
}

static int write_table(int fd, const char *disk, const unsigned char *mbr)
{
	unsigned char again[SECTOR];
	if (pwrite(fd, mbr, SECTOR, 0) != SECTOR)
		return io_error(disk, "cannot write the partition table");
	if (fsync(fd) < 0)
		return io_error(disk, "cannot sync the partition table");
	if (pread(fd, again, SECTOR, 0) != SECTOR || memcmp(again, mbr, SECTOR))
		return io_error(disk, "the partition table reads back different");
	return OK;
}

int main(int argc, char **argv)
{
	unsigned char mbr[SECTOR], *p2;
	const char *disk;
	uint64_t sectors = 0;
	uint32_t new_sectors = 0, old_sectors, start;
	struct stat st;
	int check = 0, fd, r;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		printf("usage: camfw-grow-part [--check] DISK\n");
		return OK;
	}
	if (argc == 3 && !strcmp(argv[1], "--check"))
		check = 1;
	else if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: camfw-grow-part [--check] DISK\n");
		return REFUSED;
	}
	disk = argv[argc - 1];
	/* a directory would not even open for writing: say what it is (the open one is checked again) */
	if (stat(disk, &st) == 0 && !S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
		return refuse(disk, "not a disk or an image file");
	fd = open(disk, (check ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return io_error(disk, "cannot open");
	if ((r = disk_sectors(fd, disk, &sectors)) != OK)
		goto out;
	if (sectors < 2) {
		r = refuse(disk, "smaller than a partition table");
		goto out;
	}
	if (pread(fd, mbr, SECTOR, 0) != SECTOR) {
		r = io_error(disk, "cannot read the partition table");
		goto out;
	}
	r = check_table(mbr, disk, sectors, &new_sectors);
	if (r != OK && r != NOTHING)
		goto out;
	start = entry_at(mbr, 1).start;
	old_sectors = entry_at(mbr, 1).sectors;
	printf("disk_sectors=%llu\np2_start=%lu\np2_sectors=%lu\nnew_sectors=%lu\n", (unsigned long long)sectors, (unsigned long)start,
	       (unsigned long)old_sectors, (unsigned long)(r == NOTHING ? old_sectors : new_sectors));
	if (r == NOTHING) {
		printf("nothing to grow: partition 2 ends at the end of the disk\n");
		goto out;
	}
	if (check) {
		printf("partition 2 can grow by %llu MiB\n", (unsigned long long)(new_sectors - old_sectors) * SECTOR >> 20);
		goto out;
	}
	p2 = mbr + TABLE + ENTRY;
	put_le32(p2 + 12, new_sectors);
	put_chs(p2 + 5, (uint64_t)start + new_sectors - 1);
	if ((r = write_table(fd, disk, mbr)) != OK)
		goto out;
	printf("partition 2 grown from %lu to %lu sectors (%llu MiB)\n", (unsigned long)old_sectors, (unsigned long)new_sectors,
	       (unsigned long long)new_sectors * SECTOR >> 20);
out:
	close(fd);
	return r;
}

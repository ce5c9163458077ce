/*
 * avworker-min: recording. Segments of fragmented MP4 (MOV when the audio is G.711, which
 * MP4 cannot carry), named by their start time, appended to and never rewritten: the
 * header goes first, then a fragment (moof + mdat) at every keyframe and at least every
 * second, each flushed to the card with fdatasync. A segment cut short by a power cut
 * plays up to its last complete fragment. Before each fragment the oldest segments are
 * deleted while free space is below the floor; when nothing is left to delete the
 * recording stops and says so.
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavutil/mathematics.h>
#include <libavutil/mem.h>

#include "avworker-min.h"

#define FRAGMENT_US 1000000
#define IO_BUFFER 32768
/* Room kept for the next fragments beyond the floor: twice the largest yet, at least this. */
#define MIN_HEADROOM (512 * 1024)

static int write_all(void *opaque, uint8_t *buf, int size)
{
	struct output *o = opaque;
	int done = 0;
	while (done < size) {
		ssize_t n = write(o->fd, buf + done, (size_t)(size - done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return AVERROR(errno);
		done += (int)n;
	}
	return size;
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* YYYYMMDD-HHMMSS[-N].mp4 or .mov: what this program names its segments, nothing else. */
static int is_segment(const char *name)
{
	size_t n = strlen(name);
	if (n < 19 || (strcmp(name + n - 4, ".mp4") != 0 && strcmp(name + n - 4, ".mov") != 0))
		return 0;
	if (!digits(name, 8) || name[8] != '-' || !digits(name + 9, 6))
		return 0;
	return n == 19 || (n > 20 && name[15] == '-' && digits(name + 16, n - 20));
}

static int64_t free_bytes(const char *dir)
{
	struct statvfs fs;
	if (statvfs(dir, &fs) < 0)
		return -1;
	return (int64_t)fs.f_bavail * (int64_t)fs.f_frsize;
}

/* Deletes the oldest segments while free space is below the floor + need; AVERROR(ENOSPC): none left. */
static int record_make_room(struct output *o, int64_t need)
{
	for (;;) {
		char oldest[64] = "", path[PATH_MAX_LEN + 64];
		struct dirent *e;
		DIR *d;

		o->free_bytes = free_bytes(o->dir);
		if (o->free_bytes < 0) {
			int err = AVERROR(errno);
			output_set_error(o, err, "cannot read the free space of %s", o->dir);
			return err;
		}
		if (o->free_bytes >= o->keep_free_bytes + need)
			return 0;
		d = opendir(o->dir);
		if (!d) {
			int err = AVERROR(errno);
			output_set_error(o, err, "cannot list %s", o->dir);
			return err;
		}
		while ((e = readdir(d)))
			if (is_segment(e->d_name) && strlen(e->d_name) < sizeof oldest && strcmp(e->d_name, o->file) != 0 &&
			    (!oldest[0] || strcmp(e->d_name, oldest) < 0))
				strcpy(oldest, e->d_name);
		closedir(d);
		if (!oldest[0])
			return AVERROR(ENOSPC);
		snprintf(path, sizeof path, "%s/%s", o->dir, oldest);
		if (unlink(path) < 0) {
			int err = AVERROR(errno);
			output_set_error(o, err, "cannot delete %s", path);
			return err;
		}
		o->deleted++;
		say("record: deleted the oldest segment %s (%lld MB free, keeping %lld MB free)", oldest,
		    (long long)(o->free_bytes >> 20), (long long)(o->keep_free_bytes >> 20));
	}
}

static int64_t headroom(const struct output *o)
{
	return o->fragment_bytes_max * 2 > MIN_HEADROOM ? o->fragment_bytes_max * 2 : MIN_HEADROOM;
}

/* Makes room for the next fragments; when nothing is left to delete, says the card is full. */
static int room_for_more(struct output *o)
{
	int ret = record_make_room(o, headroom(o));
	if (ret != AVERROR(ENOSPC))
		return ret;
	snprintf(o->error, sizeof o->error, "card full: %lld MB free in %.100s, keep-free-mb is %lld and no segment is left to delete",
		 (long long)(o->free_bytes >> 20), o->dir, (long long)(o->keep_free_bytes >> 20));
	o->error_time = time(NULL);
	return ret;
}

/* A new file named by the wall clock; -N when that name is taken (a clock set back). */
static int create_segment(struct output *o, const char *ext)
{
	char stamp[32], path[PATH_MAX_LEN + 64];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	for (int n = 0; n < 100; n++) {
		if (n)
			snprintf(o->file, sizeof o->file, "%s-%d%s", stamp, n, ext);
		else
			snprintf(o->file, sizeof o->file, "%s%s", stamp, ext);
		snprintf(path, sizeof path, "%s/%s", o->dir, o->file);
		o->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (o->fd >= 0 || errno != EEXIST)
			break;
	}
	if (o->fd < 0) {
		int err = AVERROR(errno);
		o->file[0] = '\0';
		output_set_error(o, err, "cannot create a segment in %s", o->dir);
		return err;
	}
	return 0;
}

int record_open_segment(struct output *o, const struct source *src)
{
	AVCodecParameters *par[KINDS] = { NULL, NULL };
	const AVOutputFormat *mp4 = av_guess_format("mp4", NULL, NULL);
	const char *format = "mp4";
	AVDictionary *opts = NULL;
	uint8_t *buffer;
	int ret;

	for (int k = 0; k < KINDS; k++)
		if (src->index[k] >= 0)
			par[k] = src->ctx->streams[src->index[k]]->codecpar;
	if (par[AUDIO] && mp4 && avformat_query_codec(mp4, par[AUDIO]->codec_id, FF_COMPLIANCE_NORMAL) != 1)
		format = "mov";

	o->file[0] = '\0';
	ret = room_for_more(o);
	if (ret < 0)
		return ret;
	ret = create_segment(o, strcmp(format, "mp4") == 0 ? ".mp4" : ".mov");
	if (ret < 0)
		return ret;
	ret = avformat_alloc_output_context2(&o->ctx, NULL, format, NULL);
	if (ret < 0 || !o->ctx) {
		ret = ret < 0 ? ret : AVERROR(ENOMEM);
		goto fail;
	}
	ret = output_add_streams(o, par);
	if (ret < 0)
		goto fail;
	buffer = av_malloc(IO_BUFFER);
	if (!buffer || !(o->ctx->pb = avio_alloc_context(buffer, IO_BUFFER, 1, o, NULL, write_all, NULL))) {
		av_free(buffer);
		ret = AVERROR(ENOMEM);
		goto fail;
	}
	o->ctx->pb->seekable = 0; /* append only: nothing written is ever rewritten */
	o->ctx->flags |= AVFMT_FLAG_CUSTOM_IO;
	av_dict_set(&opts, "movflags", "empty_moov+default_base_moof+frag_custom", 0);
	ret = avformat_write_header(o->ctx, &opts);
	av_dict_free(&opts);
	if (ret < 0)
		goto fail;
	avio_flush(o->ctx->pb);
	if (o->ctx->pb->error < 0) {
		ret = o->ctx->pb->error;
		goto fail;
	}
	o->segment_start_us = o->fragment_start_us = AV_NOPTS_VALUE;
	o->segments++;
	say("record: segment %s/%s (%s)", o->dir, o->file, format);
	return 0;

fail:
	output_set_error(o, ret, "cannot start the segment %s/%s", o->dir, o->file);
	o->state = OUT_WAITING; /* a segment whose header failed gets no trailer */
	output_close(o);
	return ret;
}

/* Writes out the fragment so far and puts it on the card. */
static int flush_fragment(struct output *o)
{
	int64_t before = avio_tell(o->ctx->pb), size;
	int ret = av_write_frame(o->ctx, NULL);
	if (ret < 0)
		return ret;
	avio_flush(o->ctx->pb);
	if (o->ctx->pb->error < 0)
		return o->ctx->pb->error;
	if (fdatasync(o->fd) < 0)
		return AVERROR(errno);
	size = avio_tell(o->ctx->pb) - before;
	if (size > o->fragment_bytes_max)
		o->fragment_bytes_max = size;
	return 0;
}

int record_before_packet(struct output *o, const struct source *src, enum kind kind, const AVPacket *pkt, int key)
{
	int64_t t;
	int ret;

	if (kind != VIDEO)
		return 0;
	t = av_rescale_q(pkt->dts, src->ctx->streams[pkt->stream_index]->time_base, AV_TIME_BASE_Q);
	if (o->origin_us == AV_NOPTS_VALUE) { /* the segment starts with this keyframe */
		if (key)
			o->segment_start_us = o->fragment_start_us = t;
		return 0;
	}
	/* a keyframe a few microseconds early still ends the segment (timestamps are rounded) */
	if (key && t - o->segment_start_us >= (int64_t)o->segment_us - 100000) {
		ret = record_close_segment(o);
		if (ret < 0)
			return ret;
		ret = record_open_segment(o, src);
		if (ret < 0)
			return ret;
		o->segment_start_us = o->fragment_start_us = t;
		return 0;
	}
	if (!key && t - o->fragment_start_us < FRAGMENT_US)
		return 0;
	ret = flush_fragment(o);
	if (ret < 0) {
		output_set_error(o, ret, "cannot write %s/%s", o->dir, o->file);
		return ret;
	}
	o->fragment_start_us = t;
	return room_for_more(o);
}

int record_close_segment(struct output *o)
{
	char file[64];
	int ret;
	snprintf(file, sizeof file, "%s", o->file);
	ret = output_close(o);
	if (ret < 0)
		output_set_error(o, ret, "cannot finish the segment %s/%s", o->dir, file);
	return ret;
}

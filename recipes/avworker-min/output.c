/*
 * avworker-min: what the push and the recording share: the streams they carry, their own
 * time line that starts at a keyframe, and timestamps that never step back.
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavutil/mathematics.h>

#include "avworker-min.h"

/* A blocking write that takes longer than this means the far end has stalled. */
#define WRITE_TIMEOUT_US 5000000
/* A source clock that steps back by more than this is a new time line, not jitter. */
#define STEP_BACK_US 100000

static void reset_time_line(struct output *o)
{
	o->origin_us = AV_NOPTS_VALUE;
	for (int k = 0; k < KINDS; k++) {
		o->stream[k] = -1;
		o->last_dts[k] = AV_NOPTS_VALUE;
		o->shift_us[k] = 0;
	}
}

void output_init(struct output *o, const char *name)
{
	memset(o, 0, sizeof *o);
	o->name = name;
	o->fd = -1;
	o->scratch = av_packet_alloc();
	if (!o->scratch) {
		say("error: out of memory");
		exit(1);
	}
	pthread_mutex_init(&o->lock, NULL);
	reset_time_line(o);
}

void output_set_error(struct output *o, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	keep_error(o->error, sizeof o->error, &o->error_time, o->name, err, fmt, ap);
	va_end(ap);
}

int output_interrupted(void *opaque)
{
	const struct output *o = opaque;
	return signals >= 2 || o->abort || (o->deadline && now_us() > o->deadline);
}

const char *output_state_name(enum out_state s)
{
	static const char *const names[] = { "off", "waiting", "connecting", "running", "full", "failed", "stopped" };
	return names[s];
}

int output_add_streams(struct output *o, AVCodecParameters *const par[KINDS])
{
	AVFormatContext *ctx = o->ctx;
	for (int k = 0; k < KINDS; k++) {
		AVStream *st;
		int ret;
		if (!par[k])
			continue;
		/* 0: the container cannot carry this codec; <0: it does not say, so try */
		if (avformat_query_codec(ctx->oformat, par[k]->codec_id, FF_COMPLIANCE_NORMAL) == 0) {
			say("%s: %s cannot carry %s: left out", o->name, ctx->oformat->name, avcodec_get_name(par[k]->codec_id));
			continue;
		}
		st = avformat_new_stream(ctx, NULL);
		if (!st)
			return AVERROR(ENOMEM);
		ret = avcodec_parameters_copy(st->codecpar, par[k]);
		if (ret < 0)
			return ret;
		st->codecpar->codec_tag = 0;
		st->time_base = k == VIDEO ? (AVRational){ 1, 90000 } : (AVRational){ 1, par[k]->sample_rate };
		o->stream[k] = st->index;
	}
	return o->stream[VIDEO] < 0 ? AVERROR(EINVAL) : 0;
}

int output_write(struct output *o, const struct source *src, enum kind kind, const AVPacket *pkt)
{
	const AVStream *ist = src->ctx->streams[pkt->stream_index];
	const AVStream *ost;
	AVPacket *p = o->scratch;
	int64_t dts_us, pts_us, dts, pts, last;
	int ret;

	if (o->stream[kind] < 0)
		return 0;
	if (o->origin_us == AV_NOPTS_VALUE) {
		/* every output starts at a keyframe, at time 0 */
		if (kind != VIDEO || !(pkt->flags & AV_PKT_FLAG_KEY))
			return 0;
		o->origin_us = av_rescale_q(pkt->dts, ist->time_base, AV_TIME_BASE_Q);
	}
	dts_us = av_rescale_q(pkt->dts, ist->time_base, AV_TIME_BASE_Q) - o->origin_us + o->shift_us[kind];
	pts_us = av_rescale_q(pkt->pts, ist->time_base, AV_TIME_BASE_Q) - o->origin_us + o->shift_us[kind];
	last = o->last_dts[kind];
	if (dts_us < 0 && last == AV_NOPTS_VALUE)
		return 0; /* audio from before the first keyframe */
	ost = o->ctx->streams[o->stream[kind]];
	dts = av_rescale_q(dts_us, AV_TIME_BASE_Q, ost->time_base);
	pts = av_rescale_q(pts_us, AV_TIME_BASE_Q, ost->time_base);
	if (last != AV_NOPTS_VALUE && dts <= last) {
		/* Cameras' RTSP clocks step back (wregen/yi-stream#1); muxers refuse that. A small
		 * step is nudged past the last packet, a large one starts a new time line there. */
		int64_t back = last + 1 - dts, back_us = av_rescale_q(back, ost->time_base, AV_TIME_BASE_Q);
		if (back_us > STEP_BACK_US) {
			o->shift_us[kind] += back_us;
			say("%s: the source's %s clock stepped back %.1f s: the time line goes on from here", o->name,
			    kind == VIDEO ? "video" : "audio", (double)back_us / 1e6);
		}
		dts += back;
		pts += back;
		o->repairs++;
	}
	if (pts < dts)
		pts = dts;

	ret = av_packet_ref(p, pkt);
	if (ret < 0)
		return ret;
	p->dts = dts;
	p->pts = pts;
	p->duration = av_rescale_q(pkt->duration, ist->time_base, ost->time_base);
	p->stream_index = o->stream[kind];
	p->pos = -1;
	o->deadline = now_us() + WRITE_TIMEOUT_US;
	ret = av_write_frame(o->ctx, p);
	if (ret == AVERROR_EXIT && signals < 2)
		ret = AVERROR(ETIMEDOUT); /* the deadline: the far end took nothing for 5 s */
	o->deadline = 0;
	av_packet_unref(p);
	if (ret < 0)
		return ret;
	o->last_dts[kind] = dts;
	o->bytes += pkt->size;
	if (kind == VIDEO)
		o->frames++;
	return 0;
}

int output_close(struct output *o)
{
	AVFormatContext *ctx = o->ctx;
	int ret = 0;
	if (!ctx)
		return 0;
	/* closing writes too (an RTMP stream says goodbye): a stalled far end gets 5 s for all of it */
	o->deadline = now_us() + WRITE_TIMEOUT_US;
	if (o->state == OUT_RUNNING)
		ret = av_write_trailer(ctx);
	if (o->fd >= 0) { /* a recording segment: our own file, flushed to the card */
		if (ctx->pb) {
			avio_flush(ctx->pb);
			av_freep(&ctx->pb->buffer);
			avio_context_free(&ctx->pb);
		}
		if (fdatasync(o->fd) < 0 && ret == 0)
			ret = AVERROR(errno);
		if (close(o->fd) < 0 && ret == 0)
			ret = AVERROR(errno);
		o->fd = -1;
	} else if (!(ctx->oformat->flags & AVFMT_NOFILE)) {
		avio_closep(&ctx->pb);
	}
	o->deadline = 0;
	avformat_free_context(ctx);
	o->ctx = NULL;
	reset_time_line(o);
	return ret;
}

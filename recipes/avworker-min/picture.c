/*
 * avworker-min: whole pictures from the pieces of an H.264 stream. FFmpeg's h264 parser
 * would do this at the cost of 90 KB of code (it brings the decoder's DSP tables) and a
 * second pass over every byte; without it the RTSP client hands over each NAL unit, or
 * each fragment of one (RFC 6184 FU-A), as it comes. The pieces of one picture share its
 * timestamp, so they are gathered until the timestamp changes: one picture of delay. A
 * picture holding an IDR slice is a keyframe.
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#include <string.h>

#include <libavcodec/packet.h>

#include "avworker-min.h"

enum { NAL_IDR = 5 };
/* A picture larger than this is not one a camera sends: the stream is broken. */
#define PICTURE_MAX (4 << 20)

/* Whether an Annex B buffer holds an IDR slice. NAL units never hold 00 00 01 inside. */
static int holds_idr(const uint8_t *p, size_t size)
{
	size_t i = 2;
	while (i + 1 < size) {
		const uint8_t *one = memchr(p + i, 1, size - 1 - i);
		if (!one)
			return 0;
		i = (size_t)(one - p);
		if (p[i - 1] == 0 && p[i - 2] == 0 && (p[i + 1] & 0x1f) == NAL_IDR)
			return 1;
		i++;
	}
	return 0;
}

void picture_reset(struct picture *p)
{
	if (p->pkt)
		av_packet_unref(p->pkt);
	p->key = 0;
}

int picture_flush(struct picture *p, AVPacket *out)
{
	if (!p->pkt || !p->pkt->size)
		return 0;
	av_packet_move_ref(out, p->pkt);
	if (p->key)
		out->flags |= AV_PKT_FLAG_KEY;
	p->key = 0;
	return 1;
}

int picture_add(struct picture *p, const AVPacket *in, AVPacket *out)
{
	int done = 0, ret;
	if (!p->pkt && !(p->pkt = av_packet_alloc()))
		return AVERROR(ENOMEM);
	if (p->pkt->size && in->pts != p->pkt->pts)
		done = picture_flush(p, out);
	if (p->pkt->size + (int64_t)in->size > PICTURE_MAX) {
		say("input: a picture over %d MB: dropped", PICTURE_MAX >> 20);
		picture_reset(p);
		return done;
	}
	if (!p->pkt->size) {
		ret = av_new_packet(p->pkt, in->size);
		if (ret < 0)
			return ret;
		av_packet_copy_props(p->pkt, in);
		memcpy(p->pkt->data, in->data, (size_t)in->size);
	} else {
		int at = p->pkt->size;
		ret = av_grow_packet(p->pkt, in->size);
		if (ret < 0)
			return ret;
		memcpy(p->pkt->data + at, in->data, (size_t)in->size);
	}
	if (!p->key)
		p->key = holds_idr(in->data, (size_t)in->size);
	return done;
}

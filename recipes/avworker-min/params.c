/*
 * avworker-min: what the outputs need to know of the streams, without decoding a frame.
 * The picture size comes from the H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1),
 * taken from the SDP's sprop-parameter-sets or, when the camera sends none, from the
 * stream itself; AAC in ADTS (MPEG-TS) gives its sample rate and channels in each header.
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/mem.h>

#include "avworker-min.h"

enum { NAL_SPS = 7, NAL_PPS = 8, SPS_MAX = 256 };

struct bits {
	const uint8_t *p;
	size_t size, pos; /* in bits */
	int overrun;
};

static unsigned bit(struct bits *b)
{
	unsigned v;
	if (b->pos >= b->size) {
		b->overrun = 1;
		return 0;
	}
	v = (b->p[b->pos >> 3] >> (7 - (b->pos & 7))) & 1;
	b->pos++;
	return v;
}

static unsigned bits(struct bits *b, int n)
{
	unsigned v = 0;
	while (n--)
		v = v << 1 | bit(b);
	return v;
}

/* Exp-Golomb ue(v); anything over 31 leading zeros is corrupt. */
static unsigned ue(struct bits *b)
{
	int zeros = 0;
	while (!bit(b) && !b->overrun)
		if (++zeros > 31) {
			b->overrun = 1;
			return 0;
		}
	return ((1u << zeros) - 1) + bits(b, zeros);
}

static int se(struct bits *b)
{
	unsigned v = ue(b);
	return v & 1 ? (int)((v + 1) / 2) : -(int)(v / 2);
}

static void skip_scaling_list(struct bits *b, int size)
{
	int last = 8, next = 8;
	for (int j = 0; j < size && !b->overrun; j++) {
		if (next != 0)
			next = (last + se(b) + 256) % 256;
		last = next == 0 ? last : next;
	}
}

/* Reads the size of the picture from an SPS NAL unit (header byte included). */
static int parse_sps(const uint8_t *nal, size_t size, AVCodecParameters *par)
{
	uint8_t rbsp[SPS_MAX];
	size_t n = 0, zeros = 0;
	struct bits b;
	unsigned profile, level, chroma = 1, frame_mbs_only, w_mbs, h_units;
	unsigned crop_l = 0, crop_r = 0, crop_t = 0, crop_b = 0;
	int separate_planes = 0;

	/* drop the emulation prevention bytes (00 00 03) */
	for (size_t i = 1; i < size && n < sizeof rbsp; i++) {
		if (zeros >= 2 && nal[i] == 3) {
			zeros = 0;
			continue;
		}
		zeros = nal[i] == 0 ? zeros + 1 : 0;
		rbsp[n++] = nal[i];
	}
	b.p = rbsp;
	b.size = n * 8;
	b.pos = 0;
	b.overrun = 0;

	profile = bits(&b, 8);
	bits(&b, 8); /* constraint flags */
	level = bits(&b, 8);
	ue(&b); /* seq_parameter_set_id */
	if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 ||
	    profile == 83 || profile == 86 || profile == 118 || profile == 128 || profile == 138 ||
	    profile == 139 || profile == 134 || profile == 135) {
		chroma = ue(&b);
		if (chroma == 3)
			separate_planes = bit(&b);
		ue(&b); /* bit_depth_luma_minus8 */
		ue(&b); /* bit_depth_chroma_minus8 */
		bit(&b); /* qpprime_y_zero_transform_bypass_flag */
		if (bit(&b)) /* seq_scaling_matrix_present_flag */
			for (int i = 0; i < (chroma != 3 ? 8 : 12); i++)
				if (bit(&b))
					skip_scaling_list(&b, i < 6 ? 16 : 64);
	}
	ue(&b); /* log2_max_frame_num_minus4 */
	switch (ue(&b)) { /* pic_order_cnt_type */
	case 0:
		ue(&b); /* log2_max_pic_order_cnt_lsb_minus4 */
		break;
	case 1: {
		unsigned cycle;
		bit(&b);
		se(&b);
		se(&b);
		cycle = ue(&b);
		for (unsigned i = 0; i < cycle && !b.overrun; i++)
			se(&b);
		break;
	}
	}
	ue(&b); /* max_num_ref_frames */
	bit(&b); /* gaps_in_frame_num_value_allowed_flag */
	w_mbs = ue(&b) + 1;
	h_units = ue(&b) + 1;
	frame_mbs_only = bit(&b);
	if (!frame_mbs_only)
		bit(&b); /* mb_adaptive_frame_field_flag */
	bit(&b); /* direct_8x8_inference_flag */
	if (bit(&b)) { /* frame_cropping_flag */
		crop_l = ue(&b);
		crop_r = ue(&b);
		crop_t = ue(&b);
		crop_b = ue(&b);
	}
	if (b.overrun || chroma > 3 || w_mbs > 1024 || h_units > 1024)
		return -1;
	{
		/* Table 6-1: SubWidthC, SubHeightC; ChromaArrayType 0 crops in luma samples */
		unsigned array_type = separate_planes ? 0 : chroma;
		unsigned cx = array_type == 0 ? 1 : (chroma == 3 ? 1 : 2);
		unsigned cy = (array_type == 0 ? 1 : (chroma == 1 ? 2 : 1)) * (2 - frame_mbs_only);
		long width = (long)w_mbs * 16 - (long)cx * (crop_l + crop_r);
		long height = (long)h_units * 16 * (2 - frame_mbs_only) - (long)cy * (crop_t + crop_b);
		if (width <= 0 || height <= 0)
			return -1;
		par->width = (int)width;
		par->height = (int)height;
	}
	par->profile = (int)profile;
	par->level = (int)level;
	return 0;
}

/* Next NAL unit in an Annex B buffer from *pos; its start and size, 0 at the end. */
static int next_nal(const uint8_t *p, size_t size, size_t *pos, const uint8_t **nal, size_t *nal_size)
{
	size_t i = *pos, start;
	while (i + 3 <= size && !(p[i] == 0 && p[i + 1] == 0 && p[i + 2] == 1))
		i++;
	if (i + 3 > size)
		return 0;
	start = i + 3;
	i = start;
	while (i + 3 <= size && !(p[i] == 0 && p[i + 1] == 0 && (p[i + 2] == 1 || (p[i + 2] == 0 && i + 3 < size && p[i + 3] == 1))))
		i++;
	if (i + 3 > size)
		i = size;
	*nal = p + start;
	*nal_size = i - start;
	*pos = i;
	return *nal_size > 0;
}

int params_from_extradata(AVCodecParameters *par)
{
	const uint8_t *p = par->extradata, *nal;
	size_t size = (size_t)par->extradata_size, pos = 0, nal_size;

	if (!p || size < 5)
		return -1;
	if (p[0] == 1) { /* avcC (ISO/IEC 14496-15 5.2.4.1.1): the first SPS follows its count */
		size_t len;
		if (size < 8 || (p[5] & 0x1f) == 0)
			return -1;
		len = (size_t)p[6] << 8 | p[7];
		if (8 + len > size)
			return -1;
		return parse_sps(p + 8, len, par);
	}
	while (next_nal(p, size, &pos, &nal, &nal_size))
		if ((nal[0] & 0x1f) == NAL_SPS)
			return parse_sps(nal, nal_size, par);
	return -1;
}

/* An SPS and a PPS sent in the stream become the extradata (Annex B) and give the size. */
static void video_from_packet(AVCodecParameters *par, const AVPacket *pkt)
{
	const uint8_t *nal, *sps = NULL, *pps = NULL;
	size_t pos = 0, nal_size, sps_size = 0, pps_size = 0;
	uint8_t *extra;
	static const uint8_t start[4] = { 0, 0, 0, 1 };

	while (next_nal(pkt->data, (size_t)pkt->size, &pos, &nal, &nal_size)) {
		if ((nal[0] & 0x1f) == NAL_SPS && !sps) {
			sps = nal;
			sps_size = nal_size;
		} else if ((nal[0] & 0x1f) == NAL_PPS && !pps) {
			pps = nal;
			pps_size = nal_size;
		}
	}
	if (!sps || !pps || sps_size > SPS_MAX || pps_size > SPS_MAX)
		return;
	extra = av_mallocz(8 + sps_size + pps_size + AV_INPUT_BUFFER_PADDING_SIZE);
	if (!extra)
		return;
	memcpy(extra, start, 4);
	memcpy(extra + 4, sps, sps_size);
	memcpy(extra + 4 + sps_size, start, 4);
	memcpy(extra + 8 + sps_size, pps, pps_size);
	av_freep(&par->extradata);
	par->extradata = extra;
	par->extradata_size = (int)(8 + sps_size + pps_size);
	if (params_from_extradata(par) < 0)
		par->width = par->height = 0;
	else
		say("input: the SPS and PPS came in the stream (none in the SDP)");
}

int adts_frame_length(const uint8_t *p, int size)
{
	int len;
	if (size < 7 || p[0] != 0xff || (p[1] & 0xf0) != 0xf0)
		return 0;
	len = (p[3] & 3) << 11 | p[4] << 3 | p[5] >> 5;
	return len >= 7 && len <= size ? len : 0;
}

/* ADTS header (ISO/IEC 13818-7 6.2): rate index and channels; the AudioSpecificConfig. */
void params_from_adts(AVCodecParameters *par, const AVPacket *pkt)
{
	static const int rates[13] = { 96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350 };
	const uint8_t *p = pkt->data;
	unsigned object, rate_index, channels;
	uint8_t *asc;

	if (!adts_frame_length(p, pkt->size))
		return;
	object = (p[2] >> 6) + 1;
	rate_index = (p[2] >> 2) & 0xf;
	channels = (p[2] & 1) << 2 | p[3] >> 6;
	if (rate_index >= 13 || channels == 0 || channels > 7)
		return;
	par->sample_rate = rates[rate_index];
	av_channel_layout_uninit(&par->ch_layout);
	av_channel_layout_default(&par->ch_layout, (int)channels);
	if (!par->extradata) {
		asc = av_mallocz(2 + AV_INPUT_BUFFER_PADDING_SIZE);
		if (!asc)
			return;
		asc[0] = (uint8_t)(object << 3 | rate_index >> 1);
		asc[1] = (uint8_t)((rate_index & 1) << 7 | channels << 3);
		par->extradata = asc;
		par->extradata_size = 2;
	}
}

void params_from_packet(struct source *src, enum kind kind, const AVPacket *pkt)
{
	AVCodecParameters *video = src->ctx->streams[src->index[VIDEO]]->codecpar;
	AVCodecParameters *audio = src->index[AUDIO] >= 0 ? src->ctx->streams[src->index[AUDIO]]->codecpar : NULL;
	int audio_known;

	if (kind == VIDEO && video->codec_id == AV_CODEC_ID_H264 && !video->width)
		video_from_packet(video, pkt);
	if (kind == AUDIO && audio->codec_id == AV_CODEC_ID_AAC && !audio->sample_rate)
		params_from_adts(audio, pkt);
	audio_known = !audio || (audio->sample_rate > 0 && audio->ch_layout.nb_channels > 0);
	/* an audio stream that never says what it is must not hold the video back */
	if (video->width && !audio_known && kind == VIDEO && ++src->waited > 100) {
		say("input: audio stream #%d (%s) gave no sample rate in 100 video packets: left out",
		    src->index[AUDIO], avcodec_get_name(audio->codec_id));
		src->index[AUDIO] = -1;
		audio_known = 1;
	}
	src->ready = video->width > 0 && audio_known;
}

void params_describe(const AVCodecParameters *par, char *buf, size_t size)
{
	const char *name = avcodec_get_name(par->codec_id);
	if (par->codec_type == AVMEDIA_TYPE_VIDEO)
		snprintf(buf, size, "%s %dx%d", name, par->width, par->height);
	else
		snprintf(buf, size, "%s %d Hz %d ch", name, par->sample_rate, par->ch_layout.nb_channels);
}

/*
 * avworker-min: the camera's stream worker. It reads one input (normally the camera's
 * own RTSP stream) and writes its video and audio, unchanged (stream copy), to one
 * output: an RTMP server, or a recording file whose container is chosen by its name.
 *
 *   avworker-min INPUT OUTPUT
 *
 * It says what it does on stderr. SIGINT or SIGTERM stops it cleanly: reading stops, the
 * output is finalised (an MP4 gets its index, an FLV its duration) and it exits 0; a
 * second signal abandons the final writes. It exits non-zero with a message on any
 * failure: 1 for an error, 2 for bad usage, 3 when a network source ends or fails (a
 * camera's stream has no end: that is a lost source, never success; the output is still
 * finalised).
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/mathematics.h>

#define PROG "avworker-min"

/* Signals received: the first stops reading, the second also abandons the output. */
static volatile sig_atomic_t signals;

static void on_signal(int sig)
{
	(void)sig;
	if (signals < 2)
		signals++;
}

/* Reading blocks on the network: the first signal interrupts it. */
static int input_interrupted(void *opaque)
{
	(void)opaque;
	return signals >= 1;
}

/* Writing finishes the output after the first signal; only a second one interrupts it. */
static int output_interrupted(void *opaque)
{
	(void)opaque;
	return signals >= 2;
}

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int fail(int err, const char *fmt, ...)
{
	char msg[AV_ERROR_MAX_STRING_SIZE] = "";
	va_list ap;
	va_start(ap, fmt);
	fputs(PROG ": error: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err < 0) {
		av_strerror(err, msg, sizeof msg);
		fprintf(stderr, ": %s", msg);
	}
	fputc('\n', stderr);
	return 1;
}

static int has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* RTMP URLs carry no file name extension: they always mean FLV. */
static const char *output_format_name(const char *url)
{
	if (has_prefix(url, "rtmp://") || has_prefix(url, "rtmps://"))
		return "flv";
	return NULL;
}

static void describe_stream(const char *dir, int index, const AVCodecParameters *par)
{
	const char *name = avcodec_get_name(par->codec_id);
	if (par->codec_type == AVMEDIA_TYPE_VIDEO)
		say("%s stream #%d: video %s %dx%d", dir, index, name, par->width, par->height);
	else if (par->codec_type == AVMEDIA_TYPE_AUDIO)
		say("%s stream #%d: audio %s %d Hz, %d channel(s)", dir, index, name, par->sample_rate,
		    par->ch_layout.nb_channels);
	else
		say("%s stream #%d: %s %s", dir, index, av_get_media_type_string(par->codec_type), name);
}

struct stream_state {
	int out_index; /* -1: not copied */
	int64_t last_dts;
	int64_t packets;
};

int main(int argc, char **argv)
{
	AVFormatContext *in = NULL, *out = NULL;
	AVDictionary *in_opts = NULL;
	struct stream_state *state = NULL;
	AVPacket *pkt = NULL;
	int ret, status = 1, header_written = 0, network_source, lost = 0; /* lost: the read error */
	int64_t total = 0, dropped = 0;
	const char *input, *output;

	if (argc != 3) {
		fprintf(stderr, "usage: %s INPUT OUTPUT\n"
				"  Copies the video and audio of INPUT (an RTSP URL or a file) to OUTPUT\n"
				"  (an rtmp:// URL, or a file whose extension names the container: .flv .mp4 .mov .ts)\n",
			PROG);
		return 2;
	}
	input = argv[1];
	output = argv[2];
	/* a camera's stream, live: it never ends by itself */
	network_source = strstr(input, "://") != NULL;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	av_log_set_level(AV_LOG_ERROR);
	avformat_network_init();

	in = avformat_alloc_context();
	if (!in)
		return fail(AVERROR(ENOMEM), "out of memory");
	in->interrupt_callback.callback = input_interrupted;
	if (has_prefix(input, "rtsp://")) {
		/* The camera's RTSP server is local: TCP avoids UDP loss and port juggling. */
		av_dict_set(&in_opts, "rtsp_transport", "tcp", 0);
		av_dict_set(&in_opts, "timeout", "10000000", 0);
	}
	say("opening input %s", input);
	ret = avformat_open_input(&in, input, NULL, &in_opts);
	av_dict_free(&in_opts);
	if (ret < 0) {
		fail(ret, "cannot open input '%s'", input);
		goto end;
	}
	ret = avformat_find_stream_info(in, NULL);
	if (ret < 0) {
		fail(ret, "cannot read stream information from '%s'", input);
		goto end;
	}
	say("input format %s, %u stream(s)", in->iformat->name, in->nb_streams);

	ret = avformat_alloc_output_context2(&out, NULL, output_format_name(output), output);
	if (ret < 0 || !out) {
		fail(ret, "cannot choose a container for output '%s' (use rtmp://, .flv, .mp4, .mov or .ts)", output);
		goto end;
	}
	out->interrupt_callback.callback = output_interrupted;

	state = calloc(in->nb_streams, sizeof *state);
	if (!state) {
		fail(AVERROR(ENOMEM), "out of memory");
		goto end;
	}
	for (unsigned i = 0; i < in->nb_streams; i++) {
		AVStream *ist = in->streams[i];
		AVCodecParameters *par = ist->codecpar;
		AVStream *ost;

		state[i].out_index = -1;
		state[i].last_dts = AV_NOPTS_VALUE;
		describe_stream("input", (int)i, par);
		if (par->codec_type != AVMEDIA_TYPE_VIDEO && par->codec_type != AVMEDIA_TYPE_AUDIO)
			continue;
		/* 0: the container cannot carry this codec; <0: it does not say, so try. */
		if (avformat_query_codec(out->oformat, par->codec_id, FF_COMPLIANCE_NORMAL) == 0) {
			say("skipping input stream #%u: %s cannot carry %s", i, out->oformat->name,
			    avcodec_get_name(par->codec_id));
			continue;
		}
		ost = avformat_new_stream(out, NULL);
		if (!ost) {
			fail(AVERROR(ENOMEM), "cannot add an output stream");
			goto end;
		}
		ret = avcodec_parameters_copy(ost->codecpar, par);
		if (ret < 0) {
			fail(ret, "cannot copy the parameters of stream #%u", i);
			goto end;
		}
		ost->codecpar->codec_tag = 0;
		ost->time_base = ist->time_base;
		state[i].out_index = ost->index;
		describe_stream("output", ost->index, ost->codecpar);
	}
	if (out->nb_streams == 0) {
		fail(0, "'%s' has no video or audio stream that %s can carry", input, out->oformat->name);
		goto end;
	}

	say("writing %s (format %s)", output, out->oformat->name);
	if (!(out->oformat->flags & AVFMT_NOFILE)) {
		ret = avio_open2(&out->pb, output, AVIO_FLAG_WRITE, &out->interrupt_callback, NULL);
		if (ret < 0) {
			fail(ret, "cannot open output '%s'", output);
			goto end;
		}
	}
	ret = avformat_write_header(out, NULL);
	if (ret < 0) {
		fail(ret, "cannot start output '%s'", output);
		goto end;
	}
	header_written = 1;

	pkt = av_packet_alloc();
	if (!pkt) {
		fail(AVERROR(ENOMEM), "out of memory");
		goto end;
	}
	for (;;) {
		struct stream_state *st;
		AVStream *ist, *ost;

		ret = av_read_frame(in, pkt);
		if (ret < 0 && signals)
			break;
		if (ret == AVERROR_EOF && !network_source)
			break;
		if (ret < 0 && network_source) {
			lost = ret;
			break;
		}
		if (ret < 0) {
			fail(ret, "reading '%s' failed", input);
			goto end;
		}
		st = &state[pkt->stream_index];
		if (st->out_index < 0) {
			av_packet_unref(pkt);
			continue;
		}
		ist = in->streams[pkt->stream_index];
		ost = out->streams[st->out_index];
		if (pkt->pts == AV_NOPTS_VALUE && pkt->dts == AV_NOPTS_VALUE) {
			/* RTSP gives no time before the first RTCP report; such a packet cannot be placed. */
			dropped++;
			av_packet_unref(pkt);
			continue;
		}
		if (pkt->dts == AV_NOPTS_VALUE)
			pkt->dts = pkt->pts;
		if (pkt->pts == AV_NOPTS_VALUE)
			pkt->pts = pkt->dts;
		av_packet_rescale_ts(pkt, ist->time_base, ost->time_base);
		/* Cameras' RTSP timestamps can step back; muxers refuse non-increasing DTS. */
		if (st->last_dts != AV_NOPTS_VALUE && pkt->dts <= st->last_dts) {
			int64_t shift = st->last_dts + 1 - pkt->dts;
			pkt->dts += shift;
			if (pkt->pts < pkt->dts)
				pkt->pts = pkt->dts;
		}
		st->last_dts = pkt->dts;
		pkt->stream_index = st->out_index;
		pkt->pos = -1;
		ret = av_interleaved_write_frame(out, pkt);
		if (ret < 0) {
			fail(ret, "writing to '%s' failed", output);
			goto end;
		}
		st->packets++;
		total++;
	}
	status = 0;

end:
	if (lost)
		status = 3;
	if (header_written) {
		ret = av_write_trailer(out);
		if (ret < 0 && status == 0)
			status = fail(ret, "cannot finish output '%s'", output);
	}
	if (state && in) {
		for (unsigned i = 0; i < in->nb_streams; i++)
			if (state[i].out_index >= 0)
				say("stream #%u: %lld packet(s) copied", i, (long long)state[i].packets);
	}
	if (lost)
		fail(lost == AVERROR_EOF ? 0 : lost, "lost the source '%s' after %lld packet(s) ('%s' is finalised)", input, (long long)total, output);
	else if (status == 0)
		say("done: %lld packet(s) copied, %lld without timestamp dropped%s", (long long)total,
		    (long long)dropped, signals ? " (stopped by signal)" : "");
	av_packet_free(&pkt);
	if (out && !(out->oformat->flags & AVFMT_NOFILE))
		avio_closep(&out->pb);
	avformat_free_context(out);
	avformat_close_input(&in);
	free(state);
	avformat_network_deinit();
	return status;
}

/*
 * avworker-min: the camera's stream worker. It reads the camera's own RTSP stream, one
 * session, and copies its video and audio unchanged (stream copy, no decoding) to an RTMP
 * push and to a recording, each of which can fail and come back without touching the
 * other; the source reconnects too. `--help` lists the settings; the web UI writes them to
 * a file (`--config`). `avworker-min INPUT OUTPUT` is the one-shot form: one output, no
 * reconnection.
 *
 * SIGINT or SIGTERM stops it cleanly: reading stops, every output is finalised (the push
 * ends its stream, a recording segment gets its last fragment) and it exits 0; a second
 * signal abandons the final writes. The one-shot form exits 1 on an error, 2 on bad usage,
 * 3 when a network source ends or fails (a camera's stream has no end: a lost source is
 * never success; the output is still finalised).
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>

#include "avworker-min.h"

#define OPEN_TIMEOUT_US 10000000
/* A camera sends many packets a second: this long without one is a lost source. */
#define STALL_TIMEOUT_US 5000000
/* A connection that lasted this long was good: the next failure starts the backoff over. */
#define STABLE_US 30000000
#define FULL_RETRY_US 10000000

static void on_signal(int sig)
{
	(void)sig;
	if (signals < 2)
		signals++;
}

/* The RTMP URL's path (app/key) as given: ffmpeg's own messages must not show it. */
static const char *secret_path;

static void hide_secret(char *line)
{
	static const char mark[] = "/...";
	size_t n = strlen(secret_path), m = strlen(mark);
	char *p = line, *hit;
	if (n < m)
		return; /* "/" or "/a": nothing a key could hide in */
	while ((hit = strstr(p, secret_path))) {
		memcpy(hit, mark, m);
		memmove(hit + m, hit + n, strlen(hit + n) + 1);
		p = hit + m;
	}
}

static void log_line(void *avcl, int level, const char *fmt, va_list ap)
{
	static int print_prefix = 1;
	char line[1024];
	if (level > av_log_get_level())
		return;
	av_log_format_line(avcl, level, fmt, ap, line, sizeof line, &print_prefix);
	if (secret_path)
		hide_secret(line);
	fputs(line, stderr);
}

static int input_interrupted(void *opaque)
{
	const struct source *src = opaque;
	return signals >= 1 || (src->deadline && now_us() > src->deadline);
}

void input_set_error(struct worker *w, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	keep_error(w->input_error, sizeof w->input_error, &w->input_error_time, "input", err, fmt, ap);
	va_end(ap);
}

static void describe_input(struct worker *w)
{
	AVFormatContext *in = w->src.ctx;
	w->video[0] = w->audio[0] = '\0';
	if (w->src.index[VIDEO] >= 0)
		params_describe(in->streams[w->src.index[VIDEO]]->codecpar, w->video, sizeof w->video);
	if (w->src.index[AUDIO] >= 0)
		params_describe(in->streams[w->src.index[AUDIO]]->codecpar, w->audio, sizeof w->audio);
}

static int open_input(struct worker *w)
{
	const char *url = w->settings->input;
	char shown[URL_MAX];
	AVDictionary *opts = NULL;
	AVFormatContext *in = avformat_alloc_context();
	int ret;

	redacted(url, 1, shown, sizeof shown);
	if (!in)
		return AVERROR(ENOMEM);
	memset(&w->src, 0, sizeof w->src);
	w->src.index[VIDEO] = w->src.index[AUDIO] = -1;
	in->interrupt_callback.callback = input_interrupted;
	in->interrupt_callback.opaque = &w->src;
	/* the formats a camera or a test file needs are recognised in far less */
	in->probesize = 32768;
	if (strncmp(url, "rtsp://", 7) == 0)
		av_dict_set(&opts, "rtsp_transport", "tcp", 0); /* the camera's server is local: no UDP loss */
	say("input: opening %s", shown);
	w->src.deadline = now_us() + OPEN_TIMEOUT_US;
	ret = avformat_open_input(&in, url, NULL, &opts);
	w->src.deadline = 0;
	av_dict_free(&opts);
	if (ret < 0) {
		input_set_error(w, ret, "cannot open the input %s", shown);
		return ret;
	}
	w->src.ctx = in;
	for (unsigned i = 0; i < in->nb_streams; i++) {
		enum AVMediaType type = in->streams[i]->codecpar->codec_type;
		if (type == AVMEDIA_TYPE_VIDEO && w->src.index[VIDEO] < 0)
			w->src.index[VIDEO] = (int)i;
		else if (type == AVMEDIA_TYPE_AUDIO && w->src.index[AUDIO] < 0)
			w->src.index[AUDIO] = (int)i;
	}
	if (w->src.index[VIDEO] < 0) {
		input_set_error(w, 0, "the input %s has no video stream", shown);
		avformat_close_input(&w->src.ctx);
		return AVERROR_INVALIDDATA;
	}
	params_from_extradata(in->streams[w->src.index[VIDEO]]->codecpar);
	describe_input(w);
	say("input: %s, video %s%s%s", in->iformat->name, w->video, w->audio[0] ? ", audio " : "", w->audio);
	w->input_state = "running";
	return 0;
}

static void release_held(struct worker *w, int write);

static void close_input(struct worker *w)
{
	/* the server may be gone: TEARDOWN gets a second, not the socket's timeout */
	w->src.deadline = now_us() + 1000000;
	avformat_close_input(&w->src.ctx);
	w->src.deadline = 0;
	w->src.ready = 0;
	picture_reset(&w->picture);
	release_held(w, 0);
}

/* Ends an output's stream properly (source lost, or stopping): it starts again with the source. */
static void finish_output(struct output *o)
{
	if (o->state == OUT_CONNECTING)
		push_cancel(o);
	if (o->state == OUT_CONNECTING || o->state == OUT_RUNNING) {
		int ret = o->dir[0] ? record_close_segment(o) : output_close(o);
		if (ret < 0 && !o->dir[0])
			output_set_error(o, ret, "cannot finish the output");
		o->state = OUT_WAITING;
		o->next_attempt = 0;
	}
}

/* An output failed: it waits and tries again (the one-shot form gives up). */
static void output_failed(struct worker *w, struct output *o, int err)
{
	int64_t now = now_us(), delay;
	int was_full = o->state == OUT_FULL;
	/* no trailer and no goodbye: the stream or the file is broken, and a stalled ingest
	 * would hold the recording for another 5 s */
	o->state = OUT_WAITING;
	o->abort = 1;
	output_close(o);
	o->abort = 0;
	if (w->settings->once) {
		o->state = OUT_FAILED;
	} else if (err == AVERROR(ENOSPC) && o->dir[0]) {
		o->state = OUT_FULL;
		o->next_attempt = now + FULL_RETRY_US;
		if (!was_full)
			say("record: stopped: %s; looking again every %d s", o->error, FULL_RETRY_US / 1000000);
	} else {
		if (o->running_since && now - o->running_since >= STABLE_US)
			backoff_reset(&o->backoff);
		delay = backoff_next(&o->backoff);
		o->next_attempt = now + delay;
		say("%s: waiting: trying again in %.1f s", o->name, (double)delay / 1e6);
	}
	o->running_since = 0;
	status_write(w, 1);
}

static void output_running(struct worker *w, struct output *o)
{
	char where[URL_MAX];
	o->state = OUT_RUNNING;
	o->running_since = now_us();
	o->starts++;
	if (!o->dir[0])
		say("%s: %s %s, waiting for a keyframe", o->name, strstr(o->url, "://") ? "connected to" : "writing",
		    redacted(o->url, 0, where, sizeof where));
	status_write(w, 1);
}

/* Brings an output up when it is due and feeds it the packet. */
static void feed(struct worker *w, struct output *o, enum kind kind, const AVPacket *pkt, int key)
{
	int ret;
	switch (o->state) {
	case OUT_OFF:
	case OUT_FAILED:
	case OUT_STOPPED:
		return;
	case OUT_WAITING:
	case OUT_FULL:
		if (now_us() < o->next_attempt)
			return;
		if (o->dir[0]) {
			ret = record_open_segment(o, &w->src);
			if (ret < 0) {
				output_failed(w, o, ret);
				return;
			}
			output_running(w, o);
		} else {
			ret = push_start(o, &w->src, !w->settings->once);
			if (ret < 0) {
				output_failed(w, o, ret);
				return;
			}
			if (w->settings->once)
				output_running(w, o);
			else
				o->state = OUT_CONNECTING;
			status_write(w, 1);
		}
		break;
	case OUT_CONNECTING:
		ret = push_poll(o);
		if (ret == 0)
			return;
		if (ret < 0) {
			output_failed(w, o, ret);
			return;
		}
		output_running(w, o);
		break;
	case OUT_RUNNING:
		break;
	}
	if (o->state != OUT_RUNNING)
		return;
	if (o->dir[0]) {
		ret = record_before_packet(o, &w->src, kind, pkt, key);
		if (ret < 0) {
			output_failed(w, o, ret);
			return;
		}
	}
	ret = output_write(o, &w->src, kind, pkt);
	if (ret < 0) {
		char where[URL_MAX];
		output_set_error(o, ret, "cannot write to %s", o->dir[0] ? o->file : redacted(o->url, 0, where, sizeof where));
		output_failed(w, o, ret);
	}
}

/* VIDEO or AUDIO, or -1 for a stream the outputs do not carry. */
static int kind_of(const struct worker *w, const AVPacket *pkt)
{
	return pkt->stream_index == w->src.index[VIDEO] ? VIDEO : pkt->stream_index == w->src.index[AUDIO] ? AUDIO : -1;
}

static void write_packet(struct worker *w, const AVPacket *pkt)
{
	int kind = kind_of(w, pkt), key = kind == VIDEO && (pkt->flags & AV_PKT_FLAG_KEY);
	if (kind < 0)
		return; /* an audio stream left out while it was held */
	feed(w, &w->push, kind, pkt, key);
	feed(w, &w->record, kind, pkt, key);
}

/*
 * Until every stream's parameters are known (an SPS in the stream, an ADTS header), its
 * packets wait here, so that the first keyframe is not lost; the oldest go when it is full.
 */
static void hold(struct worker *w, const AVPacket *pkt)
{
	if (w->held == HELD_MAX) {
		av_packet_free(&w->held_pkt[0]);
		memmove(w->held_pkt, w->held_pkt + 1, (HELD_MAX - 1) * sizeof w->held_pkt[0]);
		w->held--;
		w->dropped++;
	}
	w->held_pkt[w->held] = av_packet_clone(pkt);
	if (w->held_pkt[w->held])
		w->held++;
}

/* Writes (or, with the source lost, forgets) the packets held. */
static void release_held(struct worker *w, int write)
{
	for (int i = 0; i < w->held; i++) {
		if (write)
			write_packet(w, w->held_pkt[i]);
		av_packet_free(&w->held_pkt[i]);
	}
	w->held = 0;
}

static void take_packet(struct worker *w, AVPacket *pkt);
static int adts_frames(struct worker *w, const AVPacket *pkt);

/* A packet as the demuxer gives it: the pieces of an H.264 picture are gathered first. */
static void handle_packet(struct worker *w, AVPacket *pkt)
{
	int kind = kind_of(w, pkt), ret;

	if (kind < 0)
		return;
	if (pkt->pts == AV_NOPTS_VALUE && pkt->dts == AV_NOPTS_VALUE) {
		/* RTSP gives no time before the first RTCP report; such a packet cannot be placed */
		w->dropped++;
		return;
	}
	if (pkt->pts == AV_NOPTS_VALUE)
		pkt->pts = pkt->dts;
	if (kind == VIDEO && w->src.ctx->streams[pkt->stream_index]->codecpar->codec_id == AV_CODEC_ID_H264) {
		ret = picture_add(&w->picture, pkt, w->frame);
		if (ret < 0) {
			input_set_error(w, ret, "cannot gather a picture");
			return;
		}
		if (ret == 1) {
			take_packet(w, w->frame);
			av_packet_unref(w->frame);
		}
		return;
	}
	if (kind == AUDIO && adts_frames(w, pkt))
		return;
	take_packet(w, pkt);
}

/*
 * MPEG-TS carries AAC as ADTS, several frames to a PES packet; FLV and MP4 want one frame
 * a packet. Splits such a packet (ISO/IEC 13818-7 6.2: aac_frame_length, 1024 samples a
 * frame); 0 when it is not one.
 */
static int adts_frames(struct worker *w, const AVPacket *pkt)
{
	const AVStream *st = w->src.ctx->streams[pkt->stream_index];
	int at = 0, n = 0, len, rate = st->codecpar->sample_rate;
	AVPacket *frame;

	if (st->codecpar->codec_id != AV_CODEC_ID_AAC)
		return 0;
	len = adts_frame_length(pkt->data, pkt->size);
	if (len == 0 || len == pkt->size)
		return 0; /* not ADTS, or one frame: as it is */
	frame = av_packet_alloc();
	if (!frame)
		return 0;
	while ((len = adts_frame_length(pkt->data + at, pkt->size - at)) > 0) {
		if (av_packet_ref(frame, pkt) < 0)
			break;
		frame->data += at;
		frame->size = len;
		if (!rate) { /* the first frame tells: the offsets of the others need it */
			params_from_adts(st->codecpar, frame);
			rate = st->codecpar->sample_rate;
		}
		if (rate) {
			int64_t offset = av_rescale_q((int64_t)n * 1024, (AVRational){ 1, rate }, st->time_base);
			frame->pts = pkt->pts + offset;
			frame->dts = pkt->dts == AV_NOPTS_VALUE ? frame->pts : pkt->dts + offset;
		}
		take_packet(w, frame);
		av_packet_unref(frame);
		at += len;
		n++;
	}
	av_packet_free(&frame);
	return 1;
}

/* A whole picture, or an audio packet: counted, held until the parameters are known, written. */
static void take_packet(struct worker *w, AVPacket *pkt)
{
	enum kind kind = kind_of(w, pkt);
	if (pkt->dts == AV_NOPTS_VALUE)
		pkt->dts = pkt->pts;
	w->input_bytes += pkt->size;
	if (kind == VIDEO)
		w->input_frames++;
	if (!w->src.ready) {
		params_from_packet(&w->src, kind, pkt);
		if (!w->src.ready) {
			hold(w, pkt);
			return;
		}
		describe_input(w);
		say("input: ready: video %s%s%s", w->video, w->audio[0] ? ", audio " : "", w->audio);
		if (w->push.state != OUT_OFF && w->push.with_audio && w->src.index[AUDIO] >= 0) {
			enum AVCodecID audio = w->src.ctx->streams[w->src.index[AUDIO]]->codecpar->codec_id;
			if (audio != AV_CODEC_ID_AAC && !w->settings->once)
				say("rtmp: the audio is %s: FLV carries it, but ingests that require AAC (YouTube) refuse "
				    "the stream: set rtmp-audio=none for them", avcodec_get_name(audio));
		}
		status_write(w, 1);
		release_held(w, 1);
	}
	write_packet(w, pkt);
}

static void idle_until(struct worker *w, int64_t t)
{
	while (!signals && now_us() < t) {
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
		status_write(w, 0);
	}
}

static void configure_outputs(struct worker *w)
{
	struct settings *s = w->settings;
	int64_t retry_max = (int64_t)s->retry_max_seconds * 1000000;
	output_init(&w->push, s->once ? "output" : "rtmp");
	output_init(&w->record, "record");
	if (s->once || s->rtmp[0]) {
		snprintf(w->push.url, sizeof w->push.url, "%s", s->once ? s->output : s->rtmp);
		/* RTMP URLs carry no file name extension: they always mean FLV */
		w->push.format = strncmp(w->push.url, "rtmp://", 7) == 0 ? "flv" : NULL;
		w->push.with_audio = s->once || s->rtmp_audio;
		w->push.state = OUT_WAITING;
		secret_path = strstr(w->push.url, "://") ? strchr(strstr(w->push.url, "://") + 3, '/') : NULL;
		backoff_init(&w->push.backoff, 1000000, retry_max);
	}
	if (s->record[0]) {
		snprintf(w->record.dir, sizeof w->record.dir, "%s", s->record);
		w->record.with_audio = 1;
		w->record.segment_us = s->segment_seconds * 1000000;
		w->record.keep_free_bytes = (int64_t)s->keep_free_mb << 20;
		w->record.state = OUT_WAITING;
		backoff_init(&w->record.backoff, 2000000, retry_max);
	}
}

int main(int argc, char **argv)
{
	struct settings settings;
	struct worker w;
	struct backoff input_backoff;
	AVPacket *pkt;
	int64_t input_next = 0, input_since = 0;
	int status = 0, network;

	status = settings_parse(&settings, argc, argv);
	if (status)
		return status;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	av_log_set_level(AV_LOG_ERROR);
	av_log_set_callback(log_line);
	avformat_network_init();

	memset(&w, 0, sizeof w);
	w.settings = &settings;
	w.started_us = now_us();
	w.input_state = "connecting";
	configure_outputs(&w);
	backoff_init(&input_backoff, 1000000, (int64_t)settings.retry_max_seconds * 1000000);
	network = strstr(settings.input, "://") != NULL;
	pkt = av_packet_alloc();
	w.frame = av_packet_alloc();
	if (!pkt || !w.frame)
		return 1;

	while (!signals) {
		int ret;
		if (!w.src.ctx) {
			idle_until(&w, input_next);
			if (signals)
				break;
			w.input_state = "connecting";
			status_write(&w, 1);
			if (open_input(&w) < 0) {
				if (settings.once) {
					status = 1;
					break;
				}
				input_next = now_us() + backoff_next(&input_backoff);
				w.input_state = "waiting";
				status_write(&w, 1);
				continue;
			}
			input_since = now_us();
			status_write(&w, 1);
		}
		w.src.deadline = now_us() + STALL_TIMEOUT_US;
		ret = av_read_frame(w.src.ctx, pkt);
		w.src.deadline = 0;
		if (ret < 0 && signals)
			break;
		if (ret == AVERROR_EOF && !network) {
			if (picture_flush(&w.picture, w.frame)) {
				take_packet(&w, w.frame);
				av_packet_unref(w.frame);
			}
			break;
		}
		if (ret < 0) {
			char shown[URL_MAX];
			redacted(settings.input, 1, shown, sizeof shown);
			if (ret == AVERROR_EXIT)
				input_set_error(&w, 0, "lost the source '%s': nothing came for %d s", shown, STALL_TIMEOUT_US / 1000000);
			else
				input_set_error(&w, ret == AVERROR_EOF ? 0 : ret, "lost the source '%s' after %lld video frame(s)", shown,
						(long long)w.input_frames);
			finish_output(&w.push);
			finish_output(&w.record);
			close_input(&w);
			if (settings.once) {
				status = 3;
				break;
			}
			w.input_reconnects++;
			if (now_us() - input_since >= STABLE_US)
				backoff_reset(&input_backoff);
			input_next = now_us() + backoff_next(&input_backoff);
			w.input_state = "waiting";
			status_write(&w, 1);
			continue;
		}
		handle_packet(&w, pkt);
		av_packet_unref(pkt);
		if (w.push.state == OUT_FAILED) {
			status = 1;
			break;
		}
		status_write(&w, 0);
	}

	finish_output(&w.push);
	finish_output(&w.record);
	if (w.src.ctx)
		close_input(&w);
	w.input_state = "stopped";
	if (w.push.state != OUT_OFF)
		w.push.state = OUT_STOPPED;
	if (w.record.state != OUT_OFF)
		w.record.state = OUT_STOPPED;
	status_write(&w, 1);
	if (status == 0)
		say("done: %lld video frame(s) read, %lld packet(s) without a timestamp dropped%s", (long long)w.input_frames,
		    (long long)w.dropped, signals ? " (stopped by signal)" : "");
	av_packet_free(&pkt);
	av_packet_free(&w.frame);
	av_packet_free(&w.picture.pkt);
	av_packet_free(&w.push.scratch);
	av_packet_free(&w.record.scratch);
	avformat_network_deinit();
	return status;
}

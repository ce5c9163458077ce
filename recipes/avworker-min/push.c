/*
 * avworker-min: the push (RTMP, or the simple form's one output). Connecting can block
 * on DNS and TCP for seconds, so a thread does it while the input keeps being read;
 * every write afterwards happens in the main loop, one packet at a time.
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>

#include "avworker-min.h"

#define CONNECT_TIMEOUT_US 10000000
#define THREAD_STACK (128 * 1024)

static void free_params(struct output *o)
{
	for (int k = 0; k < KINDS; k++)
		avcodec_parameters_free(&o->par[k]);
}

/* Opens the connection and writes the header; on failure o->connect_error says why. */
static int connect_now(struct output *o)
{
	AVFormatContext *ctx = NULL;
	char where[URL_MAX], reason[AV_ERROR_MAX_STRING_SIZE];
	const char *what;
	int ret;

	redacted(o->url, 0, where, sizeof where);
	o->deadline = now_us() + CONNECT_TIMEOUT_US;
	ret = avformat_alloc_output_context2(&ctx, NULL, o->format, o->url);
	if (ret < 0 || !ctx) {
		what = "cannot choose a container (use rtmp://, .flv, .mp4 or .mov)";
		ret = ret < 0 ? ret : AVERROR(EINVAL);
		goto fail;
	}
	ctx->interrupt_callback.callback = output_interrupted;
	ctx->interrupt_callback.opaque = o;
	o->ctx = ctx;
	ret = output_add_streams(o, o->par);
	if (ret < 0) {
		what = "cannot carry the video";
		goto fail;
	}
	if (!(ctx->oformat->flags & AVFMT_NOFILE)) {
		AVDictionary *opts = NULL;
		/* The kernel's send buffer is memory too, and a stalled ingest fills it before any
		 * write blocks: a small one bounds both, and lets the write deadline notice. */
		if (strstr(o->url, "://"))
			av_dict_set(&opts, "send_buffer_size", "131072", 0);
		ret = avio_open2(&ctx->pb, o->url, AVIO_FLAG_WRITE, &ctx->interrupt_callback, &opts);
		av_dict_free(&opts);
		if (ret < 0) {
			what = "cannot connect or open";
			goto fail;
		}
	}
	ret = avformat_write_header(ctx, NULL);
	if (ret < 0) {
		what = "refused the stream";
		goto fail;
	}
	o->deadline = 0;
	return 0;

fail:
	snprintf(o->connect_error, sizeof o->connect_error, "%.160s: %s: %s", where, what, error_text(ret, reason, sizeof reason));
	if (ctx) {
		if (!(ctx->oformat->flags & AVFMT_NOFILE))
			avio_closep(&ctx->pb);
		avformat_free_context(ctx);
	}
	o->ctx = NULL;
	o->deadline = 0;
	return ret;
}

static void *connect_thread(void *arg)
{
	struct output *o = arg;
	int ret = connect_now(o);
	pthread_mutex_lock(&o->lock);
	o->thread_ret = ret;
	o->thread_done = 1;
	pthread_mutex_unlock(&o->lock);
	return NULL;
}

int push_start(struct output *o, const struct source *src, int threaded)
{
	pthread_attr_t attr;
	int ret;

	for (int k = 0; k < KINDS; k++) {
		if (src->index[k] < 0 || (k == AUDIO && !o->with_audio))
			continue;
		o->par[k] = avcodec_parameters_alloc();
		if (!o->par[k] || avcodec_parameters_copy(o->par[k], src->ctx->streams[src->index[k]]->codecpar) < 0) {
			free_params(o);
			return AVERROR(ENOMEM);
		}
	}
	o->abort = 0;
	o->connect_error[0] = '\0';
	if (!threaded) {
		ret = connect_now(o);
		free_params(o);
		if (ret < 0)
			output_set_error(o, 0, "%s", o->connect_error);
		return ret;
	}
	o->thread_done = 0;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	ret = pthread_create(&o->thread, &attr, connect_thread, o);
	pthread_attr_destroy(&attr);
	if (ret) {
		free_params(o);
		output_set_error(o, AVERROR(ret), "cannot start connecting");
		return AVERROR(ret);
	}
	o->thread_started = 1;
	return 0;
}

int push_poll(struct output *o)
{
	int done;
	pthread_mutex_lock(&o->lock);
	done = o->thread_done;
	pthread_mutex_unlock(&o->lock);
	if (!done)
		return 0;
	pthread_join(o->thread, NULL);
	o->thread_started = 0;
	free_params(o);
	if (o->thread_ret < 0) {
		output_set_error(o, 0, "%s", o->connect_error);
		return o->thread_ret;
	}
	return 1;
}

void push_cancel(struct output *o)
{
	if (!o->thread_started)
		return;
	o->abort = 1;
	pthread_join(o->thread, NULL);
	o->thread_started = 0;
	o->abort = 0;
	free_params(o);
	if (o->thread_ret == 0) { /* connected just before: end the stream properly */
		o->state = OUT_RUNNING;
		output_close(o);
	}
}

/*
 * avworker-min: what its parts share. See main.c for what the program does.
 *
 * Copyright camfw authors. SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AVWORKER_MIN_H
#define AVWORKER_MIN_H

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <libavformat/avformat.h>

#define PROG "avworker-min"

/* The two kinds of stream a camera sends; anything else in the input is ignored. */
enum kind { VIDEO = 0, AUDIO = 1, KINDS = 2 };

/* ------------------------------------------------------------------ util.c */

/* Signals received: the first stops the work, the second abandons the final writes. */
extern volatile sig_atomic_t signals;

void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Monotonic clock, microseconds. */
int64_t now_us(void);
/* Formats an error into buf (": reason" added for a negative AVERROR), stamps it, logs it as who's. */
void keep_error(char *buf, size_t size, time_t *when, const char *who, int err, const char *fmt, va_list ap);
/* av_strerror() of a negative AVERROR, "" for 0. */
const char *error_text(int err, char *buf, size_t size);
/* URL as it may be logged or shown: never its user:password@, and its path only when
 * keep_path (an RTMP path holds the stream key: scheme://host[:port]/...). */
const char *redacted(const char *url, int keep_path, char *buf, size_t size);

/* Capped exponential backoff with jitter ("equal jitter": half fixed, half random). */
struct backoff {
	int64_t base_us, cap_us, step_us;
	unsigned seed;
};
void backoff_init(struct backoff *b, int64_t base_us, int64_t cap_us);
/* The delay before the next attempt; every call doubles the next one up to the cap. */
int64_t backoff_next(struct backoff *b);
void backoff_reset(struct backoff *b);

/* -------------------------------------------------------------- settings.c */

/* the longest URL it takes, an RTMP target with its key included: the build gives the
 * number that the build configuration and camfw-api hold too (scripts/lib/config.ts) */
#ifndef RTMP_TARGET_MAX
#error "RTMP_TARGET_MAX: given by the build (recipe.ts, cDefines)"
#endif
enum { URL_MAX = RTMP_TARGET_MAX + 1, PATH_MAX_LEN = 512 };

struct settings {
	char input[URL_MAX];
	/* once: the simple form INPUT OUTPUT (no reconnection; exits when the input ends) */
	int once;
	char output[URL_MAX];
	char rtmp[URL_MAX];
	int rtmp_audio; /* 1: copy the audio into the push; 0: video only */
	char record[PATH_MAX_LEN];
	int segment_seconds;
	int keep_free_mb;
	int retry_max_seconds;
	char status[PATH_MAX_LEN];
};

/* 0, or 2 after printing what is wrong and how to fix it. */
int settings_parse(struct settings *s, int argc, char **argv);

/* ---------------------------------------------------------------- params.c */

/* The input's video and audio and what is known of them. */
struct source {
	AVFormatContext *ctx;
	int index[KINDS]; /* input stream of each kind, -1: none */
	int ready;        /* the video's size and the audio's rate are known: outputs may start */
	int waited;       /* video packets seen while the audio's rate was still unknown */
	int64_t deadline; /* the blocking read in progress is interrupted at this time */
};

/* Picture size and profile from the SPS in the stream's extradata (Annex B or avcC). */
int params_from_extradata(AVCodecParameters *par);
/*
 * Learns what the headers did not say from a packet: an in-band SPS and PPS become the
 * extradata, an ADTS header gives AAC its sample rate, channels and AudioSpecificConfig.
 * Sets src->ready when every stream can be written.
 */
void params_from_packet(struct source *src, enum kind kind, const AVPacket *pkt);
/* The length of the ADTS frame (ISO/IEC 13818-7 6.2) at p, within size; 0: none there. */
int adts_frame_length(const uint8_t *p, int size);
/* AAC's sample rate, channels and AudioSpecificConfig from an ADTS header. */
void params_from_adts(AVCodecParameters *par, const AVPacket *pkt);
/* "h264 1920x1080", "pcm_alaw 8000 Hz 1 ch" */
void params_describe(const AVCodecParameters *par, char *buf, size_t size);

/* --------------------------------------------------------------- picture.c */

struct picture {
	AVPacket *pkt; /* the picture being gathered */
	int key;
};

/*
 * Adds a piece of the H.264 stream (copied). When it starts a new picture, the previous
 * one, whole and flagged if it is a keyframe, is moved to `out` and 1 is returned.
 */
int picture_add(struct picture *p, const AVPacket *in, AVPacket *out);
/* The picture being gathered, at the end of a file: 1 if there was one. */
int picture_flush(struct picture *p, AVPacket *out);
/* Forgets the picture being gathered (the source was lost). */
void picture_reset(struct picture *p);

/* ---------------------------------------------------------------- output.c */

enum out_state { OUT_OFF, OUT_WAITING, OUT_CONNECTING, OUT_RUNNING, OUT_FULL, OUT_FAILED, OUT_STOPPED };

struct output {
	const char *name; /* "rtmp", "record" or "output" */
	enum out_state state;
	AVFormatContext *ctx;
	int stream[KINDS];        /* output stream of each kind, -1: not written */
	int64_t last_dts[KINDS];  /* in the output stream's time base */
	int64_t shift_us[KINDS];  /* added after a discontinuity of the source's clock */
	int64_t origin_us;        /* input time of the first packet written, AV_NOPTS_VALUE before */
	int64_t deadline;         /* a blocking write in progress is interrupted at this time */
	volatile int abort;       /* asks the connection thread to give up */
	int with_audio;
	AVPacket *scratch;        /* the one packet in flight */
	struct backoff backoff;
	int64_t next_attempt;
	int64_t running_since;

	/* push: the connection is made by a thread so that reading never waits on DNS or TCP */
	pthread_t thread;
	pthread_mutex_t lock;
	int thread_started, thread_done, thread_ret;
	AVCodecParameters *par[KINDS];
	char url[URL_MAX];
	const char *format; /* NULL: by the URL's extension */
	char connect_error[256];

	/* record */
	int fd;
	char dir[PATH_MAX_LEN];
	char file[64];
	int64_t segment_start_us, fragment_start_us, fragment_bytes_max;
	int64_t keep_free_bytes, free_bytes;
	int segment_us;
	int64_t segments, deleted;

	/* counters */
	int64_t starts, frames, bytes, repairs;
	char error[256];
	time_t error_time;
};

void output_init(struct output *o, const char *name);
void output_set_error(struct output *o, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Adds the source's streams this container can carry to o->ctx. */
int output_add_streams(struct output *o, AVCodecParameters *const par[KINDS]);
/* Writes one packet of the given kind, with this output's time line; <0 on error. */
int output_write(struct output *o, const struct source *src, enum kind kind, const AVPacket *pkt);
/* Finalises (trailer) and frees the muxer. */
int output_close(struct output *o);
const char *output_state_name(enum out_state s);
/* Output interrupt callback: a second signal, the deadline, or abort. */
int output_interrupted(void *opaque);

/* ------------------------------------------------------------------ push.c */

/* Connects: in a thread (push_poll() says when it is done), or now when !threaded. */
int push_start(struct output *o, const struct source *src, int threaded);
/* 1: connected, 0: still connecting, <0: failed (o->error says why). */
int push_poll(struct output *o);
/* Stops a connection in progress. */
void push_cancel(struct output *o);

/* ---------------------------------------------------------------- record.c */

int record_open_segment(struct output *o, const struct source *src);
/* Cuts a fragment (and a segment) where due, before a packet is written. */
int record_before_packet(struct output *o, const struct source *src, enum kind kind, const AVPacket *pkt, int key);
int record_close_segment(struct output *o);

/* -------------------------------------------------------- main.c, status.c */

/* Packets held while the parameters are learnt: about 2 s of 15 fps video with its audio. */
#define HELD_MAX 96

struct worker {
	struct settings *settings;
	struct source src;
	const char *input_state;
	int64_t input_frames, input_bytes, input_reconnects, dropped;
	char input_error[256];
	time_t input_error_time;
	char video[64], audio[64];
	struct output push, record;
	struct picture picture;
	AVPacket *frame; /* a whole picture, out of `picture` */
	AVPacket *held_pkt[HELD_MAX]; /* waiting for the streams' parameters */
	int held;
	int64_t started_us;
};

void input_set_error(struct worker *w, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Writes the status file (if configured), atomically; at most every 2 s unless forced. */
void status_write(struct worker *w, int force);

#endif

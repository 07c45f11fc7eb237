/*
 * ui-term.c: the dashboard's thread and its terminal (ncurses).
 *
 * The only file that includes curses.h.  The UI thread takes a snapshot
 * of the model every 250 ms (unless paused), renders the current view
 * into a canvas and copies it to the screen, then waits for a key until
 * the next snapshot is due.  The capture thread never waits for it: a
 * slow terminal only slows the redraws.
 *
 * Colours are semantic (enum ui_colour): with colours, each maps to a
 * colour pair and attributes; with NO_COLOR set or a terminal without
 * colours, to attributes only (bold, reverse, underline, dim).
 *
 * While the dashboard owns the terminal, stderr (when it is the
 * terminal) is redirected to a pipe: the last line written shows on the
 * key bar and everything is written to the real stderr at the end.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include <glib.h>

#include "core/clock.h"
#include "core/xmalloc.h"
#include "ui/ui-int.h"
#include "ui/ui.h"

#define UI_REFRESH_MS	250		/* 4 Hz */
#define UI_ERR_MAX	(64 * 1024)	/* stderr text kept for the end */

struct ui {
	pthread_t		 thread;
	struct ui_model		*model;
	struct ui_opts		 opts;
	volatile sig_atomic_t	 stop;

	SCREEN			*screen;
	FILE			*in;		/* keys */
	int			 own_in;	/* IN is /dev/tty, opened here */
	sigset_t		 oldmask;	/* the starting thread's */

	int			 err_rd;	/* stderr pipe, or -1 */
	int			 err_saved;	/* the real stderr, or -1 */
	GString			*err_text;
	uint64_t		 err_lost;
	char			 err_shown[256];	/* on the key bar ... */
	int64_t			 err_shown_ms;	/* ... since then */

	attr_t			 attrs[UI_COL_COUNT];
	struct ui_ctx		 ctx;
	struct ui_canvas	 canvas;
};

static int64_t	ui_clock_ms(void);

/* --- colours ---------------------------------------------------------- */

struct ui_colour_def {
	short	fg, bg;		/* -1: the terminal's default */
	attr_t	attr;		/* with colours */
	attr_t	mono;		/* without */
};

static const struct ui_colour_def ui_colour_defs[UI_COL_COUNT] = {
	[UI_COL_NORMAL] =	{ -1, -1, A_NORMAL, A_NORMAL },
	[UI_COL_DIM] =		{ -1, -1, A_DIM, A_DIM },
	[UI_COL_LABEL] =	{ -1, -1, A_BOLD, A_BOLD },
	[UI_COL_TITLE] =	{ COLOR_BLACK, COLOR_WHITE, A_NORMAL,
				  A_REVERSE },
	[UI_COL_TITLE_FOCUS] =	{ COLOR_BLACK, COLOR_CYAN, A_BOLD,
				  A_REVERSE | A_BOLD },
	[UI_COL_HEADER] =	{ -1, -1, A_BOLD, A_UNDERLINE },
	[UI_COL_SELECT] =	{ COLOR_BLACK, COLOR_YELLOW, A_NORMAL,
				  A_REVERSE },
	[UI_COL_STATUS] =	{ COLOR_WHITE, COLOR_BLUE, A_BOLD,
				  A_REVERSE },
	[UI_COL_KEYS] =		{ -1, -1, A_NORMAL, A_NORMAL },
	[UI_COL_KEY] =		{ COLOR_BLACK, COLOR_CYAN, A_NORMAL,
				  A_REVERSE },
	[UI_COL_PROMPT] =	{ COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[UI_COL_MESSAGE] =	{ COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[UI_COL_PAUSED] =	{ COLOR_BLACK, COLOR_YELLOW, A_BOLD,
				  A_REVERSE | A_BOLD },
	[UI_COL_CRITICAL] =	{ COLOR_WHITE, COLOR_RED, A_BOLD,
				  A_REVERSE | A_BOLD },
	[UI_COL_ERROR] =	{ COLOR_RED, -1, A_BOLD,
				  A_BOLD | A_UNDERLINE },
	[UI_COL_WARNING] =	{ COLOR_YELLOW, -1, A_NORMAL, A_BOLD },
	[UI_COL_NOTICE] =	{ COLOR_CYAN, -1, A_NORMAL, A_UNDERLINE },
	[UI_COL_INFO] =		{ -1, -1, A_NORMAL, A_NORMAL },
	[UI_COL_1XX] =		{ COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[UI_COL_2XX] =		{ COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[UI_COL_3XX] =		{ COLOR_BLUE, -1, A_BOLD, A_NORMAL },
	[UI_COL_4XX] =		{ COLOR_YELLOW, -1, A_NORMAL, A_BOLD },
	[UI_COL_5XX] =		{ COLOR_RED, -1, A_BOLD,
				  A_BOLD | A_UNDERLINE },
	[UI_COL_6XX] =		{ COLOR_MAGENTA, -1, A_BOLD,
				  A_BOLD | A_UNDERLINE },
	[UI_COL_REQUEST] =	{ -1, -1, A_BOLD, A_NORMAL },
	[UI_COL_RETRANS] =	{ COLOR_MAGENTA, -1, A_NORMAL, A_DIM },
	[UI_COL_GOOD] =		{ COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[UI_COL_BAD] =		{ COLOR_RED, -1, A_BOLD, A_BOLD },
};

static void
ui_colours_init(struct ui *ui)
{
	const char	*nc = getenv("NO_COLOR");
	int		 i;

	ui->ctx.colour = (nc == NULL || *nc == '\0') && has_colors();
	if (ui->ctx.colour) {
		start_color();
		use_default_colors();
	}
	for (i = 0; i < UI_COL_COUNT; i++) {
		const struct ui_colour_def	*d = &ui_colour_defs[i];

		if (!ui->ctx.colour) {
			ui->attrs[i] = d->mono;
			continue;
		}
		if (d->fg == -1 && d->bg == -1) {
			ui->attrs[i] = d->attr;
			continue;
		}
		init_pair((short)(i + 1), d->fg, d->bg);
		ui->attrs[i] = d->attr | COLOR_PAIR(i + 1);
	}
}

/* --- drawing ---------------------------------------------------------- */

/* Copy the canvas to the screen, one run of equal colour at a time. */
static void
ui_blit(struct ui *ui)
{
	const struct ui_canvas	*c = &ui->canvas;
	const struct ui_cell	*cell;
	wchar_t			 run[512];
	int			 x, y, n, start;
	uint8_t			 col;

	erase();
	for (y = 0; y < c->h; y++) {
		x = 0;
		while (x < c->w) {
			start = x;
			col = c->cells[(size_t)y * c->w + x].colour;
			n = 0;
			while (x < c->w && n < (int)(sizeof run /
			    sizeof run[0]) - 1) {
				cell = &c->cells[(size_t)y * c->w + x];
				if (cell->colour != col)
					break;
				if (cell->ch != 0)
					run[n++] = (wchar_t)cell->ch;
				x++;
			}
			run[n] = L'\0';
			attrset(ui->attrs[col < UI_COL_COUNT ? col : 0]);
			mvaddnwstr(y, start, run, n);
		}
	}
	attrset(A_NORMAL);
	wnoutrefresh(stdscr);
	doupdate();
}

/* --- stderr while the dashboard runs ---------------------------------- */

static void
ui_err_start(struct ui *ui)
{
	int	fds[2];

	ui->err_rd = ui->err_saved = -1;
	if (!isatty(STDERR_FILENO) || pipe(fds) == -1)
		return;
	if ((ui->err_saved = dup(STDERR_FILENO)) == -1) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	fflush(stderr);
	/* Never block a thread that logs: a full pipe drops the text. */
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	(void)fcntl(fds[1], F_SETFL, O_NONBLOCK);
	(void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	dup2(fds[1], STDERR_FILENO);
	close(fds[1]);
	ui->err_rd = fds[0];
	ui->err_text = g_string_new(NULL);
}

/* Read what was written to stderr; the last line goes on the key bar. */
static int
ui_err_drain(struct ui *ui)
{
	char	 buf[4096], *end, *start;
	ssize_t	 n;
	int	 got = 0;

	if (ui->err_rd == -1)
		return (0);
	while ((n = read(ui->err_rd, buf, sizeof buf - 1)) > 0) {
		got = 1;
		if (ui->err_text->len + (size_t)n <= UI_ERR_MAX)
			g_string_append_len(ui->err_text, buf, n);
		else
			ui->err_lost += (uint64_t)n;
		buf[n] = '\0';
		/* The last complete, non-empty line. */
		end = buf + n;
		while (end > buf && (end[-1] == '\n' || end[-1] == '\r'))
			*--end = '\0';
		start = strrchr(buf, '\n');
		start = start != NULL ? start + 1 : buf;
		if (*start != '\0') {
			snprintf(ui->ctx.message, sizeof ui->ctx.message,
			    "%.*s", (int)sizeof ui->ctx.message - 1, start);
			snprintf(ui->err_shown, sizeof ui->err_shown, "%s",
			    ui->ctx.message);
			ui->err_shown_ms = ui_clock_ms();
		}
	}
	return (got);
}

static void
ui_err_stop(struct ui *ui)
{
	if (ui->err_rd == -1)
		return;
	fflush(stderr);
	(void)ui_err_drain(ui);
	dup2(ui->err_saved, STDERR_FILENO);
	close(ui->err_saved);
	close(ui->err_rd);
	ui->err_rd = ui->err_saved = -1;
}

/* --- keys ------------------------------------------------------------- */

static uint32_t
ui_map_key(int r, wint_t wch)
{
	if (r == KEY_CODE_YES) {
		switch (wch) {
		case KEY_UP:
			return (UI_KEY_UP);
		case KEY_DOWN:
			return (UI_KEY_DOWN);
		case KEY_LEFT:
			return (UI_KEY_LEFT);
		case KEY_RIGHT:
			return (UI_KEY_RIGHT);
		case KEY_PPAGE:
			return (UI_KEY_PGUP);
		case KEY_NPAGE:
			return (UI_KEY_PGDN);
		case KEY_HOME:
			return (UI_KEY_HOME);
		case KEY_END:
			return (UI_KEY_END);
		case KEY_ENTER:
			return (UI_KEY_ENTER);
		case KEY_BTAB:
			return (UI_KEY_BTAB);
		case KEY_BACKSPACE:
			return (UI_KEY_BACKSPACE);
		case KEY_RESIZE:
			return (UI_KEY_RESIZE);
		default:
			return (0);
		}
	}
	switch (wch) {
	case '\n':
	case '\r':
		return (UI_KEY_ENTER);
	case 27:
		return (UI_KEY_ESC);
	case '\t':
		return (UI_KEY_TAB);
	case 8:
	case 127:
		return (UI_KEY_BACKSPACE);
	default:
		return ((uint32_t)wch);
	}
}

/*
 * After an ESC: what came with it, read at once (ncurses already waited
 * ESCDELAY for the terminal's known sequences).  A lone ESC is Esc; a
 * CSI or SS3 sequence ncurses did not know is decoded by ui_esc_decode()
 * or ignored; ESC and another character (Alt) is ignored.  So neither
 * Home, End nor an Alt-combination is ever taken for Esc.
 */
static uint32_t
ui_read_escape(void)
{
	uint32_t	seq[16];
	wint_t		wch;
	size_t		n = 0;
	int		r;

	timeout(10);
	r = get_wch(&wch);
	if (r == ERR)
		return (UI_KEY_ESC);
	if (r == KEY_CODE_YES)
		return (0);		/* Alt and a function key */
	seq[n++] = (uint32_t)wch;
	if (wch == '[' || wch == 'O') {
		while (n < sizeof seq / sizeof seq[0]) {
			if (get_wch(&wch) != OK)
				break;
			seq[n++] = (uint32_t)wch;
			/* SS3: one character; CSI: up to a final byte. */
			if (seq[0] == 'O' || (wch >= 0x40 && wch <= 0x7e))
				break;
		}
		return (ui_esc_decode(seq, n));
	}
	return (0);
}

/* Sequences some terminals send for Home and End (tmux, screen, rxvt)
 * that an xterm entry does not list. */
static void
ui_define_keys(void)
{
	static const struct {
		const char	*seq;
		int		 key;
	} extra[] = {
		{ "\033[1~", KEY_HOME }, { "\033[7~", KEY_HOME },
		{ "\033[H", KEY_HOME }, { "\033OH", KEY_HOME },
		{ "\033[4~", KEY_END }, { "\033[8~", KEY_END },
		{ "\033[F", KEY_END }, { "\033OF", KEY_END },
	};
	size_t	i;

	for (i = 0; i < sizeof extra / sizeof extra[0]; i++) {
		if (key_defined(extra[i].seq) == 0)
			(void)define_key(extra[i].seq, extra[i].key);
	}
}

/* --- the thread ------------------------------------------------------- */

static int64_t
ui_clock_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
ui_resize(struct ui *ui)
{
	int	h, w;

	getmaxyx(stdscr, h, w);
	ui->ctx.w = w;
	ui->ctx.h = h;
	ui_canvas_resize(&ui->canvas, w, h);
	ui->canvas.utf8 = ui->ctx.utf8;
}

/* Has the terminal gone away (hung up, closed)? */
static int
ui_tty_gone(struct ui *ui)
{
	struct pollfd	pfd;

	pfd.fd = fileno(ui->in);
	pfd.events = POLLIN;
	pfd.revents = 0;
	return (poll(&pfd, 1, 0) == 1 &&
	    (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0);
}

static void *
ui_main(void *arg)
{
	struct ui	*ui = arg;
	sigset_t	 set;
	int64_t		 now, last = 0, wait;
	wint_t		 wch;
	uint32_t	 key;
	int		 r, dirty = 1, was_paused;

	/* Window size changes and job control are handled here only. */
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGTSTP);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	while (!ui->stop && !ui->ctx.quit) {
		now = ui_clock_ms();
		if (now - last >= UI_REFRESH_MS) {
			ui_ctx_refresh(&ui->ctx, 0, sw_clock_us(CLOCK_REALTIME));
			last = now;
			dirty = 1;
		}
		if (ui_err_drain(ui))
			dirty = 1;
		/* A diagnostic stays on the key bar for 10 s. */
		if (ui->err_shown_ms != 0 && now - ui->err_shown_ms > 10000) {
			if (strcmp(ui->ctx.message, ui->err_shown) == 0) {
				ui->ctx.message[0] = '\0';
				dirty = 1;
			}
			ui->err_shown_ms = 0;
		}
		if (dirty) {
			ui_render(&ui->ctx, &ui->canvas);
			ui_blit(ui);
			dirty = 0;
		}
		wait = UI_REFRESH_MS - (ui_clock_ms() - last);
		timeout(wait < 1 ? 1 : (int)wait);
		r = get_wch(&wch);
		if (r == ERR) {
			/* Without a terminal, nobody can quit: as if q. */
			if (ui_tty_gone(ui))
				ui->ctx.quit = 1;
			continue;
		}
		if ((key = ui_map_key(r, wch)) == UI_KEY_ESC)
			key = ui_read_escape();
		if (key == 0)
			continue;
		if (key == UI_KEY_RESIZE)
			ui_resize(ui);
		was_paused = ui->ctx.paused;
		ui_key(&ui->ctx, key);
		if (was_paused && !ui->ctx.paused)
			last = 0;	/* resume: fresh numbers at once */
		dirty = 1;
	}
	if (ui->ctx.quit && ui->opts.quit != NULL)
		ui->opts.quit(ui->opts.arg);
	endwin();
	ui_err_stop(ui);
	return (NULL);
}

struct ui *
ui_start(struct ui_model *model, const struct ui_opts *o, char **cause)
{
	struct ui	*ui;
	sigset_t	 set;
	int		 err;

	ui = xcalloc(1, sizeof *ui);
	ui->model = model;
	if (o != NULL)
		ui->opts = *o;
	ui->err_rd = ui->err_saved = -1;
	if (isatty(STDIN_FILENO))
		ui->in = stdin;
	else if ((ui->in = fopen("/dev/tty", "r")) != NULL)
		ui->own_in = 1;
	else {
		*cause = xasprintf("no terminal to read keys from: "
		    "/dev/tty: %s", strerror(errno));
		free(ui);
		return (NULL);
	}
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		*cause = xasprintf("terminal type \"%s\" is not known "
		    "(use -N)", getenv("TERM") != NULL ? getenv("TERM") : "");
		goto fail;
	}
	del_curterm(cur_term);
	if ((ui->screen = newterm(NULL, stdout, ui->in)) == NULL) {
		*cause = xasprintf("cannot set up the terminal (use -N)");
		goto fail;
	}
	set_term(ui->screen);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	ui_define_keys();
	/*
	 * How long ncurses waits after ESC for the rest of a key's sequence;
	 * 100 ms covers a remote terminal.  ESCDELAY in the environment, as
	 * ncurses reads it, wins.
	 */
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(100);
	(void)curs_set(0);

	ui_ctx_init(&ui->ctx, model, o != NULL ? o->datadir : NULL, COLS,
	    LINES);
	if (o != NULL) {
		ui->ctx.export_dir = o->export_dir;
		ui->ctx.frames = o->frames;
		ui->ctx.frames_arg = o->frames_arg;
	}
	ui->ctx.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	ui_colours_init(ui);
	ui_resize(ui);
	ui_err_start(ui);

	/*
	 * SIGWINCH and SIGTSTP go to the UI thread only: ncurses handles
	 * them, and a capture read must not be interrupted by them.  Threads
	 * the caller starts afterwards inherit the block.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGTSTP);
	pthread_sigmask(SIG_BLOCK, &set, &ui->oldmask);
	if ((err = pthread_create(&ui->thread, NULL, ui_main, ui)) != 0) {
		pthread_sigmask(SIG_SETMASK, &ui->oldmask, NULL);
		ui_err_stop(ui);
		endwin();
		delscreen(ui->screen);
		*cause = xasprintf("cannot start the dashboard: %s",
		    strerror(err));
		ui_ctx_free(&ui->ctx);
		ui_canvas_free(&ui->canvas);
		goto fail;
	}
	return (ui);

fail:
	if (ui->own_in)
		fclose(ui->in);
	if (ui->err_text != NULL)
		g_string_free(ui->err_text, TRUE);
	free(ui);
	return (NULL);
}

void
ui_stop(struct ui *ui)
{
	if (ui != NULL)
		ui->stop = 1;
}

void
ui_wait(struct ui *ui)
{
	if (ui == NULL)
		return;
	pthread_join(ui->thread, NULL);
	pthread_sigmask(SIG_SETMASK, &ui->oldmask, NULL);
	delscreen(ui->screen);
	if (ui->own_in)
		fclose(ui->in);
	if (ui->err_text != NULL) {
		/* What was written to stderr meanwhile, now readable. */
		fputs(ui->err_text->str, stderr);
		if (ui->err_lost > 0)
			fprintf(stderr, "sipwatch: %llu bytes of diagnostics "
			    "were lost while the dashboard ran\n",
			    (unsigned long long)ui->err_lost);
		g_string_free(ui->err_text, TRUE);
		ui->err_text = NULL;
	}
}

void
ui_free(struct ui *ui)
{
	if (ui == NULL)
		return;
	ui_ctx_free(&ui->ctx);
	ui_canvas_free(&ui->canvas);
	free(ui);
}

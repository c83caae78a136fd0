/*
 * kith-seeds: influence maximisation on a graph file, for scripts.
 *
 *   kith-seeds --graph FILE [--k 50] [--model ic|lt] [--epsilon 0.1] [--seed N]
 *              [--bounds imm|online]
 *       prints the k seed node numbers, one a line, in selection order;
 *       the selection time, RR sets and peak memory go to stderr.
 *       --bounds chooses the sample-size bounds (kith_seeds_bounds; online
 *       unless given).
 *   kith-seeds --graph FILE --spread SEEDS_FILE [--runs 10000] [--model ic|lt] [--seed N]
 *       prints the Monte-Carlo spread of the seeds and its standard
 *       error, on one line: "MEAN STD_ERROR".
 *
 * A graph file has one edge a line, "u v p": source and target node
 * numbers (from 0) and a probability in [0, 1], separated by blanks;
 * lines starting with '#' and blank lines are skipped. The graph has as
 * many nodes as the largest number plus one. A seeds file has one node
 * number a line (the output of the first form).
 *
 * Exit status: 0 done; 1 a file cannot be read or memory ran out; 2 bad
 * usage or bad input (a malformed line is reported as file:line:column).
 *
 * SPDX-License-Identifier: MIT
 */
#include <kith.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char *program = "kith-seeds";

static void usage(void)
{
	fprintf(stderr,
	        "usage: %s --graph FILE [--k N] [--model ic|lt] [--epsilon E] [--seed N] [--bounds "
	        "imm|online]\n"
	        "       %s --graph FILE --spread SEEDS_FILE [--runs N] [--model ic|lt] [--seed "
	        "N]\n",
	        program, program);
	exit(2);
}

static _Noreturn void oom(void)
{
	fprintf(stderr, "%s: out of memory\n", program);
	exit(1);
}

struct edges {
	uint32_t *src, *dst;
	double *p;
	size_t n, cap;
	uint32_t nodes;
};

static void push_edge(struct edges *e, uint32_t u, uint32_t v, double p)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 1024;
		uint32_t *s = realloc(e->src, cap * sizeof *s);
		if (!s)
			oom();
		e->src = s;
		uint32_t *d = realloc(e->dst, cap * sizeof *d);
		if (!d)
			oom();
		e->dst = d;
		double *q = realloc(e->p, cap * sizeof *q);
		if (!q)
			oom();
		e->p = q;
		e->cap = cap;
	}
	e->src[e->n] = u;
	e->dst[e->n] = v;
	e->p[e->n] = p;
	e->n++;
}

/* A line reader that knows where it is, for file:line:column messages. */
struct reader {
	const char *path;
	FILE *f;
	char *line;
	size_t cap;
	unsigned long number;
};

static int next_line(struct reader *r)
{
	for (;;) {
		errno = 0;
		ssize_t len = getline(&r->line, &r->cap, r->f);
		if (len < 0) {
			if (ferror(r->f)) {
				fprintf(stderr, "%s: %s: %s\n", program, r->path, strerror(errno));
				exit(1);
			}
			return 0;
		}
		r->number++;
		const char *s = r->line + strspn(r->line, " \t\r\n");
		if (*s && *s != '#')
			return 1;
	}
}

static _Noreturn void bad(const struct reader *r, const char *at, const char *fmt, const char *what)
{
	fprintf(stderr, "%s:%lu:%lu: ", r->path, r->number, (unsigned long)(at - r->line) + 1);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	exit(2);
}

static const char *skip_blanks(const char *s)
{
	return s + strspn(s, " \t");
}

/* A node number at *s (digits only, below UINT32_MAX). */
static uint32_t read_node(const struct reader *r, const char **s, const char *what)
{
	const char *at = skip_blanks(*s);
	if (*at < '0' || *at > '9')
		bad(r, at, "expected the %s node number", what);
	uint64_t v = 0;
	const char *q = at;
	while (*q >= '0' && *q <= '9') {
		v = v * 10 + (uint64_t)(*q - '0');
		if (v >= UINT32_MAX)
			bad(r, at, "the %s node number is too large", what);
		q++;
	}
	if (*q && !strchr(" \t\r\n", *q))
		bad(r, q, "unexpected character after the %s node number", what);
	*s = q;
	return (uint32_t)v;
}

static void end_of_line(const struct reader *r, const char *s, const char *what)
{
	s = skip_blanks(s);
	if (*s && !strchr("\r\n", *s))
		bad(r, s, "unexpected text after the %s", what);
}

static void read_graph(const char *path, struct edges *e)
{
	struct reader r = {path, fopen(path, "r"), NULL, 0, 0};
	if (!r.f) {
		fprintf(stderr, "%s: %s: %s\n", program, path, strerror(errno));
		exit(1);
	}
	uint32_t max = 0;
	while (next_line(&r)) {
		const char *s = r.line;
		uint32_t u = read_node(&r, &s, "source");
		uint32_t v = read_node(&r, &s, "target");
		const char *at = skip_blanks(s);
		if (!*at || strchr("\r\n", *at))
			bad(&r, at, "expected the %s", "probability");
		char *end;
		errno = 0;
		double p = strtod(at, &end);
		if (end == at || (*end && !strchr(" \t\r\n", *end)))
			bad(&r, at, "the %s is not a number", "probability");
		if (!(p >= 0 && p <= 1))
			bad(&r, at, "the %s is outside [0, 1]", "probability");
		end_of_line(&r, end, "probability");
		push_edge(e, u, v, p);
		if (u > max)
			max = u;
		if (v > max)
			max = v;
	}
	if (e->n == 0) {
		fprintf(stderr, "%s: %s: no edge\n", program, path);
		exit(2);
	}
	e->nodes = max + 1;
	free(r.line);
	fclose(r.f);
}

static uint32_t *read_seeds(const char *path, uint32_t nodes, size_t *count)
{
	struct reader r = {path, fopen(path, "r"), NULL, 0, 0};
	if (!r.f) {
		fprintf(stderr, "%s: %s: %s\n", program, path, strerror(errno));
		exit(1);
	}
	uint32_t *seeds = NULL;
	size_t n = 0, cap = 0;
	while (next_line(&r)) {
		const char *s = r.line;
		const char *at = skip_blanks(s);
		uint32_t v = read_node(&r, &s, "seed");
		if (v >= nodes) {
			char what[64];
			snprintf(what, sizeof what, "%lu is not a node (the graph has %lu)",
			         (unsigned long)v, (unsigned long)nodes);
			bad(&r, at, "seed %s", what);
		}
		end_of_line(&r, s, "seed");
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			uint32_t *q = realloc(seeds, cap * sizeof *q);
			if (!q)
				oom();
			seeds = q;
		}
		seeds[n++] = v;
	}
	free(r.line);
	fclose(r.f);
	*count = n;
	return seeds;
}

static unsigned long long number_arg(const char *flag, const char *s, unsigned long long max)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || errno || v > max || *s == '-') {
		fprintf(stderr, "%s: %s wants a whole number up to %llu, not '%s'\n", program, flag,
		        max, s);
		exit(2);
	}
	return v;
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double peak_mib(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_maxrss / 1024; /* KiB on Linux */
}

static _Noreturn void failed(kith_seeds_graph *g, kith_status st)
{
	fprintf(stderr, "%s: %s\n", program,
	        *kith_seeds_graph_last_error(g) ? kith_seeds_graph_last_error(g)
	                                        : kith_status_name(st));
	exit(st == KITH_ENOMEM ? 1 : 2);
}

int main(int argc, char **argv)
{
	const char *graph_path = NULL, *spread_path = NULL;
	unsigned long long k = 50, seed = 1, runs = 10000;
	double epsilon = 0.1;
	kith_seeds_model model = KITH_SEEDS_IC;
	kith_seeds_bounds bounds = KITH_SEEDS_BOUNDS_ONLINE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 >= argc)
			usage();
		const char *v = argv[++i];
		if (!strcmp(a, "--graph"))
			graph_path = v;
		else if (!strcmp(a, "--spread"))
			spread_path = v;
		else if (!strcmp(a, "--k"))
			k = number_arg(a, v, UINT32_MAX);
		else if (!strcmp(a, "--seed"))
			seed = number_arg(a, v, UINT64_MAX);
		else if (!strcmp(a, "--runs"))
			runs = number_arg(a, v, UINT32_MAX);
		else if (!strcmp(a, "--model")) {
			if (!strcmp(v, "ic"))
				model = KITH_SEEDS_IC;
			else if (!strcmp(v, "lt"))
				model = KITH_SEEDS_LT;
			else {
				fprintf(stderr, "%s: --model is ic or lt, not '%s'\n", program, v);
				exit(2);
			}
		} else if (!strcmp(a, "--bounds")) {
			if (!strcmp(v, "imm"))
				bounds = KITH_SEEDS_BOUNDS_IMM;
			else if (!strcmp(v, "online"))
				bounds = KITH_SEEDS_BOUNDS_ONLINE;
			else {
				fprintf(stderr, "%s: --bounds is imm or online, not '%s'\n",
				        program, v);
				exit(2);
			}
		} else if (!strcmp(a, "--epsilon")) {
			char *end;
			epsilon = strtod(v, &end);
			if (!*v || *end || !(epsilon > 0 && epsilon < 1)) {
				fprintf(stderr, "%s: --epsilon is a number in (0, 1), not '%s'\n",
				        program, v);
				exit(2);
			}
		} else {
			usage();
		}
	}
	if (!graph_path)
		usage();

	struct edges e = {0};
	read_graph(graph_path, &e);
	kith_seeds_graph *g = NULL;
	kith_status st = kith_seeds_graph_new(&g, e.nodes);
	if (st != KITH_OK)
		oom();
	st = kith_seeds_graph_add_edges(g, e.n, e.src, e.dst, e.p);
	if (st == KITH_OK)
		st = kith_seeds_graph_set_bounds(g, bounds);
	free(e.src), free(e.dst), free(e.p);
	if (st != KITH_OK)
		failed(g, st);

	if (spread_path) {
		size_t count;
		uint32_t *seeds = read_seeds(spread_path, e.nodes, &count);
		double mean, se;
		st = kith_seeds_graph_spread(g, seeds, count, model, (uint32_t)runs, seed, &mean,
		                             &se);
		free(seeds);
		if (st != KITH_OK)
			failed(g, st);
		printf("%.4f %.4f\n", mean, se);
	} else {
		double t0 = seconds();
		kith_seeds_selection *sel = NULL;
		st = kith_seeds_graph_select(g, (uint32_t)k, model, epsilon, seed, &sel);
		double t = seconds() - t0;
		if (st != KITH_OK)
			failed(g, st);
		for (size_t i = 0; i < kith_seeds_selection_count(sel); i++) {
			uint32_t node;
			kith_seeds_selection_entry(sel, i, &node, NULL);
			printf("%lu\n", (unsigned long)node);
		}
		fprintf(stderr,
		        "%s: %zu seeds (%s, epsilon %g) in %.3f s from %zu RR sets; peak memory "
		        "%.1f MiB\n",
		        program, kith_seeds_selection_count(sel), kith_seeds_model_name(model),
		        epsilon, t, kith_seeds_selection_samples(sel), peak_mib());
		kith_seeds_selection_free(sel);
	}
	kith_seeds_graph_free(g);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the output\n", program);
		return 1;
	}
	return 0;
}

/*
 * kith — influence maximisation: the core of the seeds engine, public and
 * usable on any graph.
 *
 * SPDX-License-Identifier: MIT
 *
 * Part of libkith's public interface: programs include <kith.h>, which
 * includes this header. The conventions at the top of kith.h hold here.
 */
#ifndef KITH_SEEDS_H
#define KITH_SEEDS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Influence maximisation on an explicit graph                               */
/* ------------------------------------------------------------------------ */

/**
 * A kith_seeds_graph is a directed graph whose edges carry a probability:
 * nodes are numbered 0 .. nodes - 1, and an edge (u, v, p) says that u,
 * once active, activates v with probability p (independent cascade), or
 * that u weighs p in v's threshold (linear threshold).
 *
 * kith_seeds_graph_select picks k seed nodes that reach, in expectation,
 * as many nodes as possible (influence maximisation), with IMM's
 * guarantee (Tang, Shi, Xiao, SIGMOD 2015): with probability at least
 * 1 - 1/nodes the set's spread is at least (1 - 1/e - epsilon) times the
 * best k-set's. It samples reverse-reachable (RR) sets, as many as the
 * graph's sample-size bounds call for (kith_seeds_bounds: OPIM-C's
 * online bounds by default, or IMM's martingale bounds), and covers them
 * greedily.
 * kith_seeds_graph_spread estimates the spread of any seed set by
 * Monte-Carlo simulation.
 *
 * Determinism: every random draw comes from a generator seeded by the
 * caller's seed and made of integer arithmetic; probabilities become
 * integer thresholds (in units of 2^-53) when edges are added. The same
 * graph, arguments and seed give the same answer, bit for bit, on every
 * platform whose doubles round each operation to IEEE-754 double
 * precision (every 64-bit platform, and 32-bit x86 built with SSE2
 * arithmetic, -msse2 -mfpmath=sse: x87's wider registers could round the
 * sample-size bounds differently).
 *
 * Threading: a graph is used by one thread at a time (selection and
 * spread build an index inside it); distinct graphs are independent.
 */

/** The diffusion model. Values never change meaning. @since 1.0 */
typedef enum kith_seeds_model {
	KITH_SEEDS_IC = 1, /**< independent cascade: each edge fires once, with its probability */
	KITH_SEEDS_LT = 2  /**< linear threshold: a node activates when its active in-neighbours'
	                        weights reach a uniform random threshold; a node's in-edge
	                        probabilities must sum to at most 1 */
} kith_seeds_model;

/**
 * The sample-size bounds of a selection. Values never change meaning.
 *  - KITH_SEEDS_BOUNDS_IMM: IMM's martingale bounds, a lower bound of the
 *    optimum first, then as many RR sets as it calls for.
 *  - KITH_SEEDS_BOUNDS_ONLINE, the default: OPIM-C's online bounds (Tang, Tang, Xiao,
 *    Yuan, SIGMOD 2018), two collections doubled until the chosen set is
 *    certified (1 - 1/e - epsilon)-approximate with probability
 *    1 - 1/nodes, and until a doubling no longer improves the choice:
 *    the set chosen on half the samples is weighed against the new
 *    choice on independent samples, and sampling stops once the new one
 *    covers at most epsilon / 20 more of them. The set returned is then
 *    chosen on both collections together and certified on as many fresh
 *    RR sets as one of them (should that fail, the first collection's
 *    certified choice is returned). Spreads within about 0.7% of IMM's
 *    bounds' on the public graphs, with 0.4 to 1.6 times their RR
 *    sets.
 * @since 1.0
 */
typedef enum kith_seeds_bounds {
	KITH_SEEDS_BOUNDS_IMM = 1,
	KITH_SEEDS_BOUNDS_ONLINE = 2
} kith_seeds_bounds;

/** A graph for influence maximisation (owned by its creator). @since 1.0 */
typedef struct kith_seeds_graph kith_seeds_graph;

/** The seeds chosen by kith_seeds_graph_select: an owned, immutable result. @since 1.0 */
typedef struct kith_seeds_selection kith_seeds_selection;

/**
 * A model's name: "ic" or "lt".
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_seeds_model_name(kith_seeds_model model);

/**
 * A bounds' name: "imm" or "online".
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_seeds_bounds_name(kith_seeds_bounds bounds);

/**
 * Create a graph of nodes nodes and no edge, allocating with libc.
 * @param out receives the graph (owned: free with kith_seeds_graph_free).
 * @param nodes the number of nodes, 1 to UINT32_MAX - 1.
 * @return KITH_OK; KITH_EINVAL (out NULL); KITH_ERANGE (nodes 0 or
 *         UINT32_MAX); KITH_ENOMEM (and *out is NULL).
 * @since 1.0
 */
KITH_API kith_status kith_seeds_graph_new(kith_seeds_graph **out, uint32_t nodes);

/**
 * Like kith_seeds_graph_new, but every allocation of the graph and of its
 * selections goes through alloc (see kith_alloc_fn), with payload as its
 * last argument; alloc must stay valid until the graph and every
 * selection made from it are freed.
 * @return as kith_seeds_graph_new; KITH_EINVAL also when alloc is NULL.
 * @since 1.0
 */
KITH_API kith_status kith_seeds_graph_new_with_allocator(kith_seeds_graph **out, uint32_t nodes,
                                                         kith_alloc_fn alloc, void *payload);

/** Free a graph. NULL is a no-op. @since 1.0 */
KITH_API void kith_seeds_graph_free(kith_seeds_graph *graph);

/**
 * Add count edges: edge i goes from sources[i] to targets[i] with
 * probability probabilities[i]. All or nothing: on failure no edge is
 * added, and kith_seeds_graph_last_error names the first bad edge, e.g.
 * "edge 3: target 12 is not a node (the graph has 10)". Parallel edges
 * and self-loops are kept as given.
 * @param sources, targets, probabilities arrays of count items (borrowed
 *        for the call); may be NULL when count is 0.
 * @return KITH_OK; KITH_EINVAL (NULL graph or array); KITH_ERANGE (a node
 *         not below the node count, a probability outside [0, 1] or NaN);
 *         KITH_ELIMIT (more than UINT32_MAX edges in all); KITH_ENOMEM.
 * @since 1.0
 */
KITH_API kith_status kith_seeds_graph_add_edges(kith_seeds_graph *graph, size_t count,
                                                const uint32_t *sources, const uint32_t *targets,
                                                const double *probabilities);

/** The number of nodes; 0 for NULL. @since 1.0 */
KITH_API uint32_t kith_seeds_graph_node_count(const kith_seeds_graph *graph);

/** The number of edges added; 0 for NULL. @since 1.0 */
KITH_API size_t kith_seeds_graph_edge_count(const kith_seeds_graph *graph);

/**
 * The message of the last failed call on this graph; "" when none failed
 * (or for NULL).
 * @return a borrowed string, valid until the next call on the graph.
 * @since 1.0
 */
KITH_API const char *kith_seeds_graph_last_error(const kith_seeds_graph *graph);

/**
 * Choose the sample-size bounds of the graph's next selections
 * (KITH_SEEDS_BOUNDS_ONLINE until set).
 * @return KITH_OK; KITH_EINVAL (NULL graph, unknown bounds; nothing changes).
 * @since 1.0
 */
KITH_API kith_status kith_seeds_graph_set_bounds(kith_seeds_graph *graph, kith_seeds_bounds bounds);

/**
 * Select k seeds by IMM (see above), with the graph's bounds. The graph does not change (but its
 * internal index and its last error).
 * @param k the number of seeds, 0 to the node count.
 * @param model KITH_SEEDS_IC or KITH_SEEDS_LT.
 * @param epsilon the approximation slack, in (0, 1); 0.1 is usual, and
 *        the work grows as 1 / epsilon^2.
 * @param seed the random seed.
 * @param out receives the selection (owned: free with
 *        kith_seeds_selection_free); it may outlive the graph.
 * @return KITH_OK; KITH_EINVAL (NULL argument, unknown model);
 *         KITH_ERANGE (k above the node count, epsilon outside (0, 1), a
 *         node's in-edge probabilities summing above 1 + 1e-4 under LT);
 *         KITH_ELIMIT (the bounds call for more than 2^30 RR sets);
 *         KITH_ENOMEM (and *out is NULL).
 * @since 1.0
 */
KITH_API kith_status kith_seeds_graph_select(kith_seeds_graph *graph, uint32_t k,
                                             kith_seeds_model model, double epsilon, uint64_t seed,
                                             kith_seeds_selection **out);

/**
 * Estimate the spread of a seed set (the expected number of active nodes
 * at the end, seeds included) by runs Monte-Carlo simulations. Repeated
 * seeds count once.
 * @param seeds count node numbers (borrowed; may be NULL when count is 0).
 * @param runs the number of simulations, from 2 to UINT32_MAX - 1.
 * @param mean receives the mean spread; std_error its standard error
 *        (the sample standard deviation over sqrt(runs)); either may be
 *        NULL.
 * @return KITH_OK; KITH_EINVAL (NULL graph or seeds, unknown model);
 *         KITH_ERANGE (a seed not a node, runs under 2 or UINT32_MAX, LT sums as for
 *         kith_seeds_graph_select); KITH_ENOMEM.
 * @since 1.0
 */
KITH_API kith_status kith_seeds_graph_spread(kith_seeds_graph *graph, const uint32_t *seeds,
                                             size_t count, kith_seeds_model model, uint32_t runs,
                                             uint64_t seed, double *mean, double *std_error);

/** Free a selection. NULL is a no-op. @since 1.0 */
KITH_API void kith_seeds_selection_free(kith_seeds_selection *selection);

/** The number of seeds (k); 0 for NULL. @since 1.0 */
KITH_API size_t kith_seeds_selection_count(const kith_seeds_selection *selection);

/**
 * Read seed i, in selection order (0 first).
 * @param node receives its node number; gain its marginal gain, the
 *        spread it adds to the seeds before it as the RR sets estimate
 *        it. Either may be NULL.
 * @return KITH_OK; KITH_ENOTFOUND past the end; KITH_EINVAL (NULL selection).
 * @since 1.0
 */
KITH_API kith_status kith_seeds_selection_entry(const kith_seeds_selection *selection, size_t i,
                                                uint32_t *node, double *gain);

/**
 * The spread of the whole set as the RR sets estimate it (the sum of the
 * gains). Selectors' own estimates run high; score a set with
 * kith_seeds_graph_spread.
 * @return the estimate; 0 for NULL.
 * @since 1.0
 */
KITH_API double kith_seeds_selection_estimate(const kith_seeds_selection *selection);

/**
 * The number of RR sets the selection sampled (both collections' under
 * KITH_SEEDS_BOUNDS_ONLINE).
 * @return the count; 0 for NULL.
 * @since 1.0
 */
KITH_API size_t kith_seeds_selection_samples(const kith_seeds_selection *selection);

/**
 * Render the selection as one JSON object: model, bounds, k, epsilon, seed
 * (a string, as it may exceed a double's integers), samples, estimate and
 * seeds, an array of objects with node and gain.
 * @param buf, size, needed as for kith_member_to_json: at most size bytes
 *        are written, NUL-terminated when size is above 0; *needed (if
 *        not NULL) receives the full length without the NUL.
 * @return KITH_OK, also when the text was truncated; KITH_EINVAL (NULL
 *         selection, or buf NULL with size above 0).
 * @since 1.0
 */
KITH_API kith_status kith_seeds_selection_to_json(const kith_seeds_selection *selection, char *buf,
                                                  size_t size, size_t *needed);

/* ------------------------------------------------------------------------ */
/* The seeds engine: seed users and opinion leaders of a community           */
/* ------------------------------------------------------------------------ */

/**
 * The seeds engine answers "whom do I cultivate?" with a plan: the k
 * members worth making seed users or opinion leaders, each with the
 * reasons. It weighs every present member in one pass and chooses
 * greedily, maximising
 *
 *     sum of quality(s) over the seeds s  +  lambda * coverage(S)
 *
 * where coverage(S) is the expected number of present members the set S
 * reaches over the interaction graph, estimated from reverse-reachable
 * (RR) sets as kith_seeds_graph_select does: as many as its bounds call
 * for to select k seeds by coverage alone (OPIM-C's online bounds, or
 * IMM's with seeds.imm_bounds; seeds.epsilon is their slack, 0.2 by
 * default), so that a k-set's coverage is estimated as closely as
 * there. The objective is monotone submodular while qualities are not
 * negative, so the greedy, made lazy (a gain is refreshed only when it
 * reaches the top of a max-heap), is within 1 - 1/e of the best k-set on
 * those RR sets; under a diversity cap (a partition matroid) the
 * greedy's bound is 1/2.
 *
 * The interaction graph. Its nodes are the present members; influence
 * flows against the direction of attention: a member who replies to,
 * mentions or reacts to another's message shows that the other's words
 * reached them, so each such interaction from A to B counts for the edge
 * B -> A; an invitation from A to B counts for A -> B (A brought B in).
 * An edge's probability is, by default, the weighted cascade: its
 * interactions over all the interactions counted into its target, so a
 * member's in-edges sum to 1 (valid under both models). With
 * seeds.edge_probability above 0 every edge has that probability
 * instead (under independent cascade only). seeds.linear_threshold picks
 * the linear threshold model; independent cascade is the default.
 *
 * Criteria (each in [0, 1]: a raw figure divided by its largest value
 * among the present members; 0 for all when that is 0):
 *  - need: questions asked (KITH_STAT_QUESTIONS);
 *  - openness: the mean of three parts: how early the member (last)
 *    joined, between the latest join (0) and the earliest (1) among the
 *    present; activities attended (KITH_STAT_ATTENDED, over its largest);
 *    and 1 for a member who ever made a purchase, else 0;
 *  - feedback: messages tagged "feedback" (KITH_STAT_FEEDBACK);
 *  - content: the mean value of the member's messages, their
 *    contribution score at now_ms over their message count;
 *  - activity: distinct active days among the seeds.window_days local
 *    days ending on now_ms's day (kith_member_active_days);
 *  - reach: the member's own expected reach over the interaction graph,
 *    estimated from the RR sets (the number of RR sets holding the
 *    member, times present members over the sets' number).
 * Penalties, in [0, 1] the same way: complaints (messages tagged
 * "complaint") and violations (KITH_STAT_VIOLATIONS).
 *
 *     quality = (sum of weight_c * criterion_c - sum of penalty_p * p)
 *               / (sum of the criteria weights)
 *
 * so a member best on every criterion and free of penalties has quality 1.
 *
 * Presets and settings. A plan is made for a preset (the call's, or the
 * seeds.preset setting's, "opinion-leaders" until set), which gives
 * every criterion weight, both penalty weights, lambda and the share k of
 * the present members (see kith_seeds_preset). Each of those settings
 * (seeds.weight_*, seeds.penalty_*, seeds.lambda, seeds.k_share) is -1,
 * "as the preset says", until set: a value of 0 or more set in the
 * charter or with kith_setting_set replaces the preset's, whichever the
 * preset. seeds.k, when above 0, replaces the share by a number of
 * members. The other settings (seeds.min_quality, seeds.window_days,
 * seeds.include_staff, seeds.deny, seeds.epsilon, seeds.random_seed, the
 * graph's) are the same for every preset.
 *
 * Exclusions (a member is counted under the first that applies, in this
 * order): banned; not present; denied (named by seeds.deny, a list of
 * member ids, of which those that name no member are ignored, or by the
 * call's deny array); staff (holding the
 * owner or admin role), unless seeds.include_staff; quality under
 * seeds.min_quality. Excluded present members still pass influence on:
 * they stay nodes of the graph and count in coverage.
 *
 * Diversity: with seeds.diversity = m above 0, at most m seeds share an
 * interest tag. A member's interest is the tag their messages carried
 * most, counted while seeds.diversity is above 0 (set it before the
 * messages come: tags are not kept otherwise). Each member keeps three
 * (tag, count) slots, a space-saving summary: a tag already held counts
 * up, a new one takes a free slot or else the slot of the least count,
 * whose count it inherits plus one; so any tag that makes more than a
 * third of a member's tags is held, and memory is 24 bytes a member who
 * sent a tagged message. At most 1024 distinct tag names are counted in
 * a community. A member passed over for the cap is counted
 * (kith_seeds_plan_capped) and the next best taken.
 *
 * The plan lists at most k seeds (fewer when fewer members are eligible),
 * in the order chosen, and stops early when no eligible member adds a
 * positive gain. Equal gains go to the lower member handle, so the same
 * community, settings and now_ms give the same plan, bit for bit.
 */

/** The presets of a seeds plan. Values never change meaning. @since 1.0 */
typedef enum kith_seeds_preset {
	KITH_SEEDS_PRESET_SETTING = 0,  /**< the seeds.preset setting's */
	KITH_SEEDS_SEED_USERS = 1,      /**< "seed-users": need, openness and feedback weigh most
	                                     (3 each; content, activity and reach 1 each),
	                                     lambda 0.05, k = 10% of present members */
	KITH_SEEDS_OPINION_LEADERS = 2  /**< "opinion-leaders": content, activity and reach weigh
	                                     most (3 each; feedback 1, need and openness 0.5),
	                                     lambda 0.2, k = 10% of present members */
} kith_seeds_preset;

/** The criteria and penalties of a seed's quality. Values never change meaning. @since 1.0 */
typedef enum kith_seeds_criterion {
	KITH_SEEDS_NEED = 0,
	KITH_SEEDS_OPENNESS = 1,
	KITH_SEEDS_FEEDBACK = 2,
	KITH_SEEDS_CONTENT = 3,
	KITH_SEEDS_ACTIVITY = 4,
	KITH_SEEDS_REACH = 5,
	KITH_SEEDS_COMPLAINTS = 6, /**< a penalty */
	KITH_SEEDS_VIOLATIONS = 7  /**< a penalty */
} kith_seeds_criterion;

/** Number of criteria and penalties. @since 1.0 */
#define KITH_SEEDS_CRITERION_COUNT 8

/** Why a member was left out of a seeds plan. Values never change meaning. @since 1.0 */
typedef enum kith_seeds_exclusion {
	KITH_SEEDS_EXCLUDED_BANNED = 1,
	KITH_SEEDS_EXCLUDED_ABSENT = 2,
	KITH_SEEDS_EXCLUDED_DENIED = 3,      /**< on the plan's deny list */
	KITH_SEEDS_EXCLUDED_STAFF = 4,       /**< owner or admin, without seeds.include_staff */
	KITH_SEEDS_EXCLUDED_LOW_QUALITY = 5  /**< quality under seeds.min_quality */
} kith_seeds_exclusion;

/** A seeds plan: an owned, immutable result. @since 1.0 */
typedef struct kith_seeds_plan kith_seeds_plan;

/**
 * A preset's name: "seed-users" or "opinion-leaders" ("setting" for
 * KITH_SEEDS_PRESET_SETTING).
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_seeds_preset_name(kith_seeds_preset preset);

/**
 * A criterion's name: "need", "openness", "feedback", "content",
 * "activity", "reach", "complaints", "violations".
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_seeds_criterion_name(kith_seeds_criterion criterion);

/**
 * An exclusion's name: "banned", "absent", "denied", "staff",
 * "low-quality".
 * @return a static string, never NULL; "unknown" for an unknown value.
 * @since 1.0
 */
KITH_API const char *kith_seeds_exclusion_name(kith_seeds_exclusion exclusion);

/**
 * Make a seeds plan as of now_ms for a preset, with the community's
 * seeds.* settings (see above). Nothing in the community changes (but its
 * last error on failure); the plan is independent of the community
 * afterwards but allocated through its allocator, which must stay valid
 * until the plan is freed.
 * @param preset KITH_SEEDS_SEED_USERS, KITH_SEEDS_OPINION_LEADERS, or
 *        KITH_SEEDS_PRESET_SETTING for seeds.preset's.
 * @param deny deny_count member handles never to choose, besides those
 *        seeds.deny names (borrowed for the call; may be NULL when
 *        deny_count is 0; repeats are harmless).
 * @param out receives the plan (owned: free with kith_seeds_plan_free).
 * @return KITH_OK; KITH_EINVAL (NULL community or out, deny NULL with
 *         deny_count above 0, an unknown preset, now_ms KITH_TIME_NONE);
 *         KITH_ENOTFOUND (a deny handle that names no member);
 *         KITH_ERANGE (a constant seeds.edge_probability with
 *         seeds.linear_threshold); KITH_ELIMIT (the sample bounds call
 *         for more RR sets than the core allows); KITH_ENOMEM. On failure
 *         *out is NULL and the last error says what and where.
 * @since 1.0
 */
KITH_API kith_status kith_seeds_plan_new(kith_community *community, int64_t now_ms,
                                         kith_seeds_preset preset, const uint32_t *deny,
                                         size_t deny_count, kith_seeds_plan **out);

/** Free a plan. NULL is a no-op. @since 1.0 */
KITH_API void kith_seeds_plan_free(kith_seeds_plan *plan);

/** Number of seeds of the plan; 0 for NULL. @since 1.0 */
KITH_API size_t kith_seeds_plan_count(const kith_seeds_plan *plan);

/**
 * Read seed i, in selection order (0 first).
 * @param member receives its handle; gain its marginal gain (its quality
 *        plus lambda times the coverage it adds to the seeds before it);
 *        quality its quality; reach its own expected reach in members
 *        (the raw figure of the reach criterion). Any may be NULL.
 * @return KITH_OK; KITH_ENOTFOUND past the end; KITH_EINVAL (NULL plan).
 * @since 1.0
 */
KITH_API kith_status kith_seeds_plan_entry(const kith_seeds_plan *plan, size_t i, uint32_t *member,
                                           double *gain, double *quality, double *reach);

/**
 * Read one criterion or penalty of seed i, in [0, 1] as it entered the
 * quality (before its weight).
 * @return KITH_OK; KITH_ENOTFOUND past the end; KITH_EINVAL (NULL, an
 *         unknown criterion).
 * @since 1.0
 */
KITH_API kith_status kith_seeds_plan_criterion(const kith_seeds_plan *plan, size_t i,
                                               kith_seeds_criterion criterion, double *out);

/**
 * The weight a criterion or penalty had in the plan (the preset's or the
 * setting's).
 * @return KITH_OK; KITH_EINVAL (NULL, an unknown criterion).
 * @since 1.0
 */
KITH_API kith_status kith_seeds_plan_weight(const kith_seeds_plan *plan,
                                            kith_seeds_criterion criterion, double *out);

/**
 * The interest tag of seed i, under seeds.diversity (see above).
 * @return borrowed from the plan, NUL-terminated; NULL past the end, for
 *         NULL, or when the seed has none (or no cap was set).
 * @since 1.0
 */
KITH_API const char *kith_seeds_plan_tag(const kith_seeds_plan *plan, size_t i);

/**
 * The number of eligible members the diversity cap passed over; 0 for NULL.
 * @since 1.0
 */
KITH_API size_t kith_seeds_plan_capped(const kith_seeds_plan *plan);

/**
 * The expected number of present members the plan's seeds reach
 * (themselves included), as the RR sets estimate it; 0 for NULL.
 * @since 1.0
 */
KITH_API double kith_seeds_plan_coverage(const kith_seeds_plan *plan);

/**
 * The number of members left out for a reason (each member counted once,
 * under the first reason that applies).
 * @return the count; 0 for NULL or an unknown reason.
 * @since 1.0
 */
KITH_API size_t kith_seeds_plan_excluded(const kith_seeds_plan *plan, kith_seeds_exclusion reason);

/**
 * The plan's k: the seeds asked for (it lists fewer when fewer members
 * are eligible or none adds a positive gain); 0 for NULL.
 * @since 1.0
 */
KITH_API size_t kith_seeds_plan_k(const kith_seeds_plan *plan);

/**
 * Render the plan as one JSON object: now_ms, preset, k, lambda, model
 * ("ic" or "lt"), samples (RR sets), coverage, present, eligible,
 * diversity (the cap, 0 for none), capped, weights (an object by criterion name), excluded (an object by
 * exclusion name, and total) and seeds, an array of objects with member
 * (handle), id, tag (null when none), gain, quality, reach and criteria (an object by
 * criterion name).
 * @param buf, size, needed as for kith_member_to_json.
 * @return KITH_OK, also when the text was truncated; KITH_EINVAL (NULL
 *         plan, or buf NULL with size above 0).
 * @since 1.0
 */
KITH_API kith_status kith_seeds_plan_to_json(const kith_seeds_plan *plan, char *buf, size_t size,
                                             size_t *needed);

#ifdef __cplusplus
}
#endif

#endif /* KITH_SEEDS_H */

//===- Deadlocks.cpp - Cycles in the lock graph, filters, findings --------===//
#include "lockgraph/core/Deadlocks.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/hawick_circuits.hpp>
#include <boost/graph/strong_components.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace lockgraph {

namespace {

// Compressed sparse row: built once from an edge list, compact, and fast to
// traverse, which is all cycle detection needs.
using Digraph = boost::compressed_sparse_row_graph<boost::directedS>;
using EdgeList = std::vector<std::pair<size_t, size_t>>;

Digraph makeDigraph(const EdgeList &Edges, size_t NumVertices) {
  return Digraph(boost::edges_are_unsorted_multi_pass, Edges.begin(), Edges.end(),
                 NumVertices);
}
using Vertex = boost::graph_traits<Digraph>::vertex_descriptor;

/// Thrown by visitors to stop a Boost enumeration early; never escapes.
struct StopSearch {};

/// One strongly connected component as its own small graph: vertex i of
/// Sub is lock Members[i].
struct Component {
  std::vector<LockId> Members;
  Digraph Sub;
};

/// Orders the locks of a cycle so that the smallest name comes first: the
/// same cycle found from two starting points becomes the same vector.
std::vector<LockId> canonicalRotation(const LockGraph &G, std::vector<LockId> C) {
  auto Smallest = std::min_element(C.begin(), C.end(), [&](LockId A, LockId B) {
    return G.lock(A).Name < G.lock(B).Name;
  });
  std::rotate(C.begin(), Smallest, C.end());
  return C;
}

class CycleCollector {
public:
  CycleCollector(const LockGraph &G, const CycleOptions &Opts)
      : G(G), Opts(Opts) {}

  /// Returns false once the component has yielded enough candidates.
  bool add(const Component &C, const std::vector<Vertex> &Path) {
    ++Visited;
    if (Opts.MaxCycleLength && Path.size() > Opts.MaxCycleLength)
      return Visited < visitBudget();
    std::vector<LockId> Locks;
    Locks.reserve(Path.size());
    for (Vertex V : Path)
      Locks.push_back(C.Members[V]);
    Found.insert(canonicalRotation(G, std::move(Locks)));
    if (Found.size() < collectBudget() && Visited < visitBudget())
      return true;
    Stopped = true;
    return false;
  }

  /// Adds a cycle whatever the budgets (the shortest cycle through a lock,
  /// after an enumeration that stopped early).
  void force(const Component &C, const std::vector<Vertex> &Path) {
    std::vector<LockId> Locks;
    for (Vertex V : Path)
      Locks.push_back(C.Members[V]);
    Found.insert(canonicalRotation(G, std::move(Locks)));
  }

  /// Whether the last enumeration ran out of budget before it was complete.
  bool stopped() const { return Stopped; }

  /// The shortest MaxCyclesPerComponent of what was found, then reset.
  std::vector<std::vector<LockId>> takeShortest() {
    std::vector<std::vector<LockId>> Result(Found.begin(), Found.end());
    std::stable_sort(Result.begin(), Result.end(),
                     [](const auto &A, const auto &B) { return A.size() < B.size(); });
    if (Opts.MaxCyclesPerComponent && Result.size() > Opts.MaxCyclesPerComponent)
      Result.resize(Opts.MaxCyclesPerComponent);
    Found.clear();
    Visited = 0;
    Stopped = false;
    return Result;
  }

  bool enough() const { return Found.size() >= collectBudget(); }

private:
  // Circuits do not come out shortest first, so gather more than will be
  // reported and keep the shortest; the visit budget bounds the time spent
  // on circuits that are too long to report.
  size_t collectBudget() const {
    return Opts.MaxCyclesPerComponent ? size_t(Opts.MaxCyclesPerComponent) * 8
                                      : SIZE_MAX;
  }
  size_t visitBudget() const {
    return Opts.MaxCyclesPerComponent ? size_t(Opts.MaxCyclesPerComponent) * 64
                                      : SIZE_MAX;
  }

  const LockGraph &G;
  const CycleOptions &Opts;
  std::set<std::vector<LockId>> Found;
  size_t Visited = 0;
  bool Stopped = false;
};

struct CircuitVisitor {
  CycleCollector &Collector;
  const Component &C;
  template <typename Path, typename Graph> void cycle(const Path &P, const Graph &) {
    if (!Collector.add(C, std::vector<Vertex>(P.begin(), P.end())))
      throw StopSearch{};
  }
};

/// Breadth-first search from Start that stops at the first vertex with an
/// edge back to Start: that closes the shortest cycle through Start. It also
/// stops when the shared work budget (edges examined) runs out.
struct ShortestCycleVisitor : boost::default_bfs_visitor {
  Vertex Start;
  std::vector<Vertex> *Parent;
  Vertex *Closing;
  size_t *Budget;
  void tree_edge(boost::graph_traits<Digraph>::edge_descriptor E, const Digraph &D) {
    (*Parent)[boost::target(E, D)] = boost::source(E, D);
  }
  void examine_edge(boost::graph_traits<Digraph>::edge_descriptor E, const Digraph &D) {
    if (boost::target(E, D) == Start) {
      *Closing = boost::source(E, D);
      throw StopSearch{};
    }
    if (*Budget == 0)
      throw StopSearch{};
    --*Budget;
  }
};

void enumerateCircuits(const Component &C, CycleCollector &Collector) {
  try {
    boost::hawick_unique_circuits(C.Sub, CircuitVisitor{Collector, C});
  } catch (const StopSearch &) {
  }
}

/// \p EveryLock: after an enumeration that ran out of budget, the shortest
/// cycle through every lock (each search with a budget of its own), so that
/// a short cycle the enumeration did not reach yet is still reported.
void shortestCyclesByBfs(const Component &C, CycleCollector &Collector,
                         const CycleOptions &Opts, bool EveryLock = false) {
  const size_t N = boost::num_vertices(C.Sub);
  // Each search may cover the whole component before it closes a cycle, so
  // the searches together get a budget of a few passes over it.
  const size_t PassBudget = 4 * (N + boost::num_edges(C.Sub));
  size_t Budget = PassBudget;
  const size_t Wanted =
      Opts.MaxCyclesPerComponent && !EveryLock ? Opts.MaxCyclesPerComponent : N;
  std::vector<Vertex> Parent(N);
  std::vector<boost::default_color_type> Colors(N);
  // A lock already on a found cycle is not searched from again: the searches
  // go to locks no reported cycle explains yet.
  std::vector<bool> OnFoundCycle(N, false);
  size_t Found = 0;
  for (Vertex Start = 0; Start < N && Found < Wanted && Budget > 0; ++Start) {
    if (EveryLock)
      Budget = PassBudget;
    else if (OnFoundCycle[Start])
      continue;
    Vertex Closing = Start;
    std::fill(Colors.begin(), Colors.end(), boost::white_color);
    try {
      boost::breadth_first_search(
          C.Sub, Start,
          boost::visitor(ShortestCycleVisitor{{}, Start, &Parent, &Closing, &Budget})
              .color_map(boost::make_iterator_property_map(
                  Colors.begin(), boost::get(boost::vertex_index, C.Sub))));
    } catch (const StopSearch &) {
    }
    if (Closing == Start)
      continue;
    std::vector<Vertex> Path;
    for (Vertex V = Closing; V != Start; V = Parent[V])
      Path.push_back(V);
    Path.push_back(Start);
    std::reverse(Path.begin(), Path.end());
    for (Vertex V : Path)
      OnFoundCycle[V] = true;
    ++Found;
    if (EveryLock)
      Collector.force(C, Path);
    else if (!Collector.add(C, Path))
      break;
  }
}

const Frame &reportedFrame(const Stack &S, const Frame &Otherwise) {
  return S.empty() ? Otherwise : S[firstUserFrame(S)];
}

bool isStatic(const EdgeEvidence &V) { return V.Origin == "static"; }
bool isNotStatic(const EdgeEvidence &V) { return !isStatic(V); }

/// The evidence that best stands for an edge in a report, among those that
/// satisfy \p Pred: one with a source location if any, else the most
/// frequent. Null when none satisfies \p Pred.
const EdgeEvidence *representative(const Edge &E, bool (*Pred)(const EdgeEvidence &)) {
  const EdgeEvidence *Best = nullptr;
  auto score = [](const EdgeEvidence &V) {
    bool HasSource = !V.AcquiredAt.empty() &&
                     V.AcquiredAt[firstUserFrame(V.AcquiredAt)].hasSource();
    return std::pair(HasSource, V.Count);
  };
  for (const EdgeEvidence &V : E.Evidence)
    if (Pred(V) && (!Best || score(V) > score(*Best)))
      Best = &V;
  return Best;
}

/// Which half saw an observation, for cycles whose edges come from both.
std::string provenance(const EdgeEvidence &V) {
  if (isStatic(V))
    return " (from source)";
  constexpr std::string_view RuntimePrefix = "runtime:";
  if (V.Origin.rfind(RuntimePrefix, 0) == 0)
    return " (seen at run time in " + V.Origin.substr(RuntimePrefix.size()) + ")";
  if (V.Origin.empty() || V.Origin == "runtime")
    return " (seen at run time)";
  return " (seen in " + V.Origin + ")";
}

std::string quoted(const std::string &Name) { return "'" + Name + "'"; }

std::string describeWhere(const LockGraph &G, const EdgeEvidence &E,
                          uint64_t TotalCount) {
  std::string Where;
  if (E.Thread != NoThread && E.Thread < G.threads().size())
    Where = fmt::format(" in thread '{}'", G.threads()[E.Thread]);
  if (TotalCount > 1)
    Where += fmt::format(" (seen {} times)", TotalCount);
  return Where;
}

bool allEvidence(const Edge &E, auto Pred) {
  return std::all_of(E.Evidence.begin(), E.Evidence.end(), Pred);
}

/// What the two stacks of an edge mean, worded for the kinds of its ends:
/// an edge into a wait node is a wait, an edge out of one is what ends it.
struct EdgeWording {
  std::string HeldAt;     ///< headline of the HeldAt stack
  std::string AcquiredAt; ///< headline of the AcquiredAt stack
};

EdgeWording describeEdge(const LockGraph &G, const Edge &E) {
  const Lock &From = G.lock(E.From), &To = G.lock(E.To);
  const std::string FromName = quoted(From.Name), ToName = quoted(To.Name);
  if (From.Kind == LockKind::CondVar)
    return {fmt::format("{} notified here", FromName),
            fmt::format("{} acquired here by a notifier of {}", ToName, FromName)};
  if (From.Kind == LockKind::Thread)
    return {fmt::format("{} started here", FromName),
            fmt::format("{} acquired here by {}", ToName, FromName)};
  if (To.Kind == LockKind::CondVar)
    return {fmt::format("{} acquired here", FromName),
            fmt::format("waits on condition variable {} here while holding {}",
                        ToName, FromName)};
  if (To.Kind == LockKind::Thread)
    return {fmt::format("{} acquired here", FromName),
            fmt::format("joins {} here while holding {}", ToName, FromName)};
  return {fmt::format("{} acquired here", FromName),
          fmt::format("{} acquired here while holding {}", ToName, FromName)};
}

} // namespace

std::vector<Cycle> findCycles(const LockGraph &G, const CycleOptions &Opts) {
  const size_t N = G.locks().size();
  EdgeList AllEdges;
  AllEdges.reserve(G.edges().size());
  for (const Edge &E : G.edges())
    AllEdges.emplace_back(E.From, E.To);
  const Digraph Whole = makeDigraph(AllEdges, N);
  AllEdges = EdgeList();

  std::vector<size_t> ComponentOf(N);
  size_t NumComponents = N ? boost::strong_components(
                                 Whole, boost::make_iterator_property_map(
                                            ComponentOf.begin(),
                                            boost::get(boost::vertex_index, Whole)))
                           : 0;

  // Only components of two or more locks can hold a cycle; most locks of a
  // large graph are alone in theirs and get no Component at all.
  std::vector<size_t> Size(NumComponents, 0);
  for (LockId L = 0; L < N; ++L)
    ++Size[ComponentOf[L]];
  std::vector<size_t> Slot(NumComponents, SIZE_MAX);
  std::vector<Component> Components;
  for (size_t C = 0; C < NumComponents; ++C)
    if (Size[C] > 1) {
      Slot[C] = Components.size();
      Components.emplace_back();
      Components.back().Members.reserve(Size[C]);
    }
  std::vector<Vertex> LocalIndex(N);
  for (LockId L = 0; L < N; ++L) {
    if (Slot[ComponentOf[L]] == SIZE_MAX)
      continue;
    Component &C = Components[Slot[ComponentOf[L]]];
    LocalIndex[L] = C.Members.size();
    C.Members.push_back(L);
  }
  std::vector<EdgeList> Internal(Components.size());
  for (const Edge &E : G.edges())
    if (ComponentOf[E.From] == ComponentOf[E.To] && Slot[ComponentOf[E.From]] != SIZE_MAX)
      Internal[Slot[ComponentOf[E.From]]].emplace_back(LocalIndex[E.From],
                                                       LocalIndex[E.To]);
  for (size_t I = 0; I < Components.size(); ++I)
    Components[I].Sub = makeDigraph(Internal[I], Components[I].Members.size());

  std::vector<Cycle> Cycles;
  CycleCollector Collector(G, Opts);
  for (const Component &C : Components) {
    if (C.Members.size() <= Opts.MaxEnumeratedComponentSize) {
      enumerateCircuits(C, Collector);
      if (Collector.stopped())
        shortestCyclesByBfs(C, Collector, Opts, /*EveryLock=*/true);
    } else
      shortestCyclesByBfs(C, Collector, Opts);
    for (std::vector<LockId> &Locks : Collector.takeShortest()) {
      Cycle Cy;
      for (size_t I = 0; I < Locks.size(); ++I)
        Cy.Edges.push_back(*G.findEdge(Locks[I], Locks[(I + 1) % Locks.size()]));
      Cy.Locks = std::move(Locks);
      Cycles.push_back(std::move(Cy));
    }
  }

  std::sort(Cycles.begin(), Cycles.end(), [&](const Cycle &A, const Cycle &B) {
    if (A.Locks.size() != B.Locks.size())
      return A.Locks.size() < B.Locks.size();
    return std::lexicographical_compare(
        A.Locks.begin(), A.Locks.end(), B.Locks.begin(), B.Locks.end(),
        [&](LockId X, LockId Y) { return G.lock(X).Name < G.lock(Y).Name; });
  });
  return Cycles;
}

namespace {
/// What thread starts and joins order between thread segments, within a
/// line of descent only: a thread's segments before it started another
/// (directly, or through threads that thread started) happened before all
/// of that thread's; a thread's segments after it joined another (or a
/// thread that joined it) happened after all of that thread's. Orders
/// between two threads that only a third one's join and then start put one
/// after the other (a test suite's scenarios run one after another in
/// threads of one process) are not taken: their lock orders are what
/// `lockgraph run` is for, as between two processes run one after the other.
///
/// A graph of the starts and one of the joins, a vertex per segment an
/// order names, each thread's chained in program order; a segment no order
/// names lies between two that do (or past the last), so it reaches what
/// its thread's next one reaches.
class SegmentOrder {
public:
  explicit SegmentOrder(const LockGraph &G) {
    for (const ThreadOrder &O : G.threadOrders())
      if (O.FromSegment != NoSegment && O.ToSegment != NoSegment) {
        vertex(O.FromThread, O.FromSegment);
        vertex(O.ToThread, O.ToSegment);
      }
    std::vector<std::pair<size_t, size_t>> Edges[2];
    for (const ThreadOrder &O : G.threadOrders())
      if (O.FromSegment != NoSegment && O.ToSegment != NoSegment)
        Edges[O.How].emplace_back(vertex(O.FromThread, O.FromSegment),
                                  vertex(O.ToThread, O.ToSegment));
    for (auto &[Thread, Segments] : ByThread)
      for (auto It = Segments.begin(); std::next(It) != Segments.end(); ++It)
        for (auto &Kind : Edges)
          Kind.emplace_back(It->second, std::next(It)->second);
    for (int K = 0; K < 2; ++K)
      Graphs[K] = Digraph(Edges[K].begin(), Edges[K].end(), Keys.size());
  }

  /// Whether segment \p SA of thread \p TA happened before segment \p SB
  /// of thread \p TB along one line of descent.
  bool before(ThreadIndex TA, SegmentIndex SA, ThreadIndex TB,
              SegmentIndex SB) {
    if (TA == TB)
      return SA < SB;
    auto From = ByThread.find(TA);
    auto To = ByThread.find(TB);
    if (From == ByThread.end() || To == ByThread.end())
      return false;
    // The first segment at or after SA that an order names: what its end
    // reaches, SA's end reaches.
    auto Start = From->second.lower_bound(SA);
    if (Start == From->second.end())
      return false;
    for (int K = 0; K < 2; ++K) {
      const std::vector<bool> &Seen = reached(K, Start->second);
      // Reaching a segment of TB at or before SB reaches SB.
      for (auto It = To->second.begin(); It != To->second.end() && It->first <= SB; ++It)
        if (Seen[It->second])
          return true;
    }
    return false;
  }

private:
  using Digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

  size_t vertex(ThreadIndex T, SegmentIndex S) {
    auto [It, New] = ByThread[T].try_emplace(S, Keys.size());
    if (New)
      Keys.emplace_back(T, S);
    return It->second;
  }

  /// The vertices graph \p K reaches from \p V (itself included), by
  /// breadth-first search, once per vertex.
  const std::vector<bool> &reached(int K, size_t V) {
    auto [It, New] = Reached[K].try_emplace(V);
    if (!New)
      return It->second;
    std::vector<boost::default_color_type> Colour(Keys.size(), boost::white_color);
    boost::breadth_first_visit(
        Graphs[K], V,
        boost::color_map(boost::make_iterator_property_map(
            Colour.begin(), boost::get(boost::vertex_index, Graphs[K]))));
    It->second.resize(Keys.size());
    for (size_t I = 0; I < Keys.size(); ++I)
      It->second[I] = Colour[I] != boost::white_color;
    return It->second;
  }

  std::vector<std::pair<ThreadIndex, SegmentIndex>> Keys;
  std::map<ThreadIndex, std::map<SegmentIndex, size_t>> ByThread;
  Digraph Graphs[2]; ///< ThreadOrder::Start, ThreadOrder::Join
  std::unordered_map<size_t, std::vector<bool>> Reached[2];
};

/// Two edges of \p C (indexes into its Edges) whose every observation a
/// thread start or join puts before every observation of the other, or
/// none. Only between locks: a wait node's edges are made at the wait,
/// which the start or join itself may be.
std::optional<std::pair<size_t, size_t>> orderedEdges(const LockGraph &G,
                                                      const Cycle &C) {
  if (G.threadOrders().empty())
    return std::nullopt;
  for (LockId L : C.Locks)
    if (isWaitKind(G.lock(L).Kind))
      return std::nullopt;
  const auto Known = [](const EdgeEvidence &V) {
    return V.Thread != NoThread && V.Segment != NoSegment;
  };
  for (size_t EdgeIndex : C.Edges)
    if (!allEvidence(G.edges()[EdgeIndex], Known))
      return std::nullopt;
  SegmentOrder Order(G);
  const auto Ordered = [&](const EdgeEvidence &A, const EdgeEvidence &B) {
    return Order.before(A.Thread, A.Segment, B.Thread, B.Segment) ||
           Order.before(B.Thread, B.Segment, A.Thread, A.Segment);
  };
  for (size_t I = 0; I < C.Edges.size(); ++I)
    for (size_t J = I + 1; J < C.Edges.size(); ++J) {
      const Edge &A = G.edges()[C.Edges[I]];
      const Edge &B = G.edges()[C.Edges[J]];
      if (allEvidence(A, [&](const EdgeEvidence &VA) {
            return allEvidence(B, [&](const EdgeEvidence &VB) {
              return Ordered(VA, VB);
            });
          }))
        return std::pair{I, J};
    }
  return std::nullopt;
}
} // namespace

std::string suppressionReason(const LockGraph &G, const Cycle &C,
                              const FilterOptions &Opts) {
  const size_t Len = C.Locks.size();
  auto name = [&](LockId L) { return quoted(G.lock(L).Name); };

  if (Opts.TryLock) {
    for (size_t I = 0; I < Len; ++I) {
      const Edge &E = G.edges()[C.Edges[I]];
      if (!allEvidence(E, [](const EdgeEvidence &V) { return V.TryAcquire; }))
        continue;
      if (isWaitKind(G.lock(E.To).Kind))
        return fmt::format("timed wait: {} is only waited for with a timeout "
                           "while holding {}, which cannot block forever",
                           name(E.To), name(E.From));
      if (G.lock(E.From).Kind == LockKind::CondVar)
        return fmt::format("trylock: the notifiers of {} only ever "
                           "try-acquire {}, which cannot block",
                           name(E.From), name(E.To));
      if (G.lock(E.From).Kind == LockKind::Thread)
        return fmt::format("trylock: {} only ever try-acquires {}, which "
                           "cannot block",
                           name(E.From), name(E.To));
      return fmt::format("trylock: {} is only ever try-acquired while "
                         "holding {}, which cannot block",
                         name(E.To), name(E.From));
    }
  }

  if (Opts.Handshake) {
    for (size_t I = 0; I < Len; ++I) {
      const Edge &E = G.edges()[C.Edges[I]];
      if (G.lock(E.To).Kind != LockKind::Thread ||
          isWaitKind(G.lock(E.From).Kind) ||
          !allEvidence(E, [](const EdgeEvidence &V) {
            return V.HeldSinceWait || V.JoinedThreadDone;
          }))
        continue;
      if (allEvidence(E, [](const EdgeEvidence &V) { return V.HeldSinceWait; }))
        return fmt::format("handshake: {} is only joined while holding {} "
                           "after a condition-variable wait re-acquired it: "
                           "the joiner waited under {} for the thread to "
                           "finish with it",
                           name(E.To), name(E.From), name(E.From));
      return fmt::format("handshake: {} is only joined while holding {} "
                         "after a condition-variable wait re-acquired it or "
                         "after the thread notified a condition variable in "
                         "its last hold of {}: the thread said under {} that "
                         "it was done with it",
                         name(E.To), name(E.From), name(E.From), name(E.From));
    }
  }

  if (Opts.ReadRead) {
    // Lock i is waited for along the edge into it and held along the edge
    // out of it; if both are shared, neither thread blocks the other on it.
    for (size_t I = 0; I < Len; ++I) {
      const Edge &In = G.edges()[C.Edges[(I + Len - 1) % Len]];
      const Edge &Out = G.edges()[C.Edges[I]];
      if (allEvidence(In, [](const EdgeEvidence &V) {
            return V.ToMode == AcquireMode::Shared;
          }) &&
          allEvidence(Out, [](const EdgeEvidence &V) {
            return V.FromMode == AcquireMode::Shared;
          }))
        return fmt::format("read-read: {} is only held and acquired shared "
                           "along the cycle, and readers do not block readers",
                           name(C.Locks[I]));
    }
  }

  if (Opts.GateLock) {
    // Locks held at every observation of every edge of the cycle.
    std::vector<LockId> Common;
    for (size_t I = 0; I < Len; ++I) {
      const Edge &E = G.edges()[C.Edges[I]];
      for (size_t J = 0; J < E.Evidence.size(); ++J) {
        const std::vector<LockId> &Held = E.Evidence[J].OtherHeld;
        if (I == 0 && J == 0) {
          Common = Held;
          continue;
        }
        std::vector<LockId> Both;
        std::set_intersection(Common.begin(), Common.end(), Held.begin(),
                              Held.end(), std::back_inserter(Both));
        Common = std::move(Both);
      }
      if (Common.empty())
        break;
    }
    if (!Common.empty())
      return fmt::format("gate lock: {} is held at every edge of the cycle, "
                         "so its threads cannot interleave",
                         name(Common.front()));
  }

  if (Opts.SingleThread) {
    std::set<ThreadIndex> Threads;
    for (size_t EdgeIndex : C.Edges)
      for (const EdgeEvidence &V : G.edges()[EdgeIndex].Evidence)
        Threads.insert(V.Thread);
    if (Threads.size() == 1 && *Threads.begin() != NoThread) {
      ThreadIndex T = *Threads.begin();
      return fmt::format("single thread: every edge of the cycle was seen only "
                         "in thread '{}'",
                         T < G.threads().size() ? G.threads()[T] : "?");
    }
    // Through a wait: the locks' order and the wait seen only in the waiting
    // thread (all but the notifiers' edges out of the wait node). Either
    // the waiter still holds the first lock at the wait, and the cycle of
    // that lock alone is reported, or it took the others after releasing it
    // and nobody holds it while waiting for the next (APR's
    // dynamic_binding: main holds ten mutexes and waits with each in turn).
    std::set<ThreadIndex> Waiter;
    size_t LockEdges = 0;
    for (size_t EdgeIndex : C.Edges) {
      const Edge &E = G.edges()[EdgeIndex];
      if (isWaitKind(G.lock(E.From).Kind))
        continue;
      LockEdges += !isWaitKind(G.lock(E.To).Kind);
      for (const EdgeEvidence &V : E.Evidence)
        Waiter.insert(V.Thread);
    }
    if (LockEdges > 0 && Len > LockEdges + 1 && Waiter.size() == 1 &&
        *Waiter.begin() != NoThread) {
      ThreadIndex T = *Waiter.begin();
      return fmt::format("single thread: the order of the cycle's locks and the wait were "
                         "seen only in the waiting thread '{}'",
                         T < G.threads().size() ? G.threads()[T] : "?");
    }
  }

  if (Opts.StartJoin) {
    if (auto Pair = orderedEdges(G, C)) {
      const Edge &A = G.edges()[C.Edges[Pair->first]];
      const Edge &B = G.edges()[C.Edges[Pair->second]];
      const auto ThreadName = [&](const Edge &E) -> std::string {
        ThreadIndex T = E.Evidence.front().Thread;
        return T < G.threads().size() ? G.threads()[T] : "?";
      };
      return fmt::format(
          "start/join order: {} -> {} (thread '{}') and {} -> {} (thread "
          "'{}') were never taken at the same time: one of the threads took "
          "its pair only before it started the other (or a thread that "
          "did) or after it joined it",
          name(A.From), name(A.To), ThreadName(A), name(B.From), name(B.To),
          ThreadName(B));
    }
  }

  return {};
}

/// The edge seen least often, at the fewest sites: the cheapest to reverse,
/// which a finding suggests. An index into C.Edges.
static size_t weakestEdge(const LockGraph &G, const Cycle &C) {
  size_t Weakest = 0;
  for (size_t I = 1; I < C.Edges.size(); ++I) {
    const Edge &E = G.edges()[C.Edges[I]];
    const Edge &W = G.edges()[C.Edges[Weakest]];
    if (std::pair(E.Evidence.size(), E.totalCount()) <
        std::pair(W.Evidence.size(), W.totalCount()))
      Weakest = I;
  }
  return Weakest;
}

static bool throughWaitNode(const LockGraph &G, const Cycle &C) {
  for (size_t EdgeIndex : C.Edges)
    if (isWaitKind(G.lock(G.edges()[EdgeIndex].To).Kind))
      return true;
  return false;
}

Finding makeCycleFinding(const LockGraph &G, const Cycle &C) {
  Finding F;
  std::string Chain;
  for (LockId L : C.Locks) {
    F.Locks.push_back(G.lock(L).Name);
    Chain += G.lock(L).Name + " -> ";
  }
  Chain += G.lock(C.Locks.front()).Name;
  F.FingerprintKey = "cycle:" + Chain;

  // The first edge into a wait node, if any: the wait made while holding a
  // lock is what the user must change.
  std::optional<size_t> WaitEdge;
  for (size_t I = 0; I < C.Edges.size() && !WaitEdge; ++I)
    if (isWaitKind(G.lock(G.edges()[C.Edges[I]].To).Kind))
      WaitEdge = I;
  if (WaitEdge) {
    const Edge &E = G.edges()[C.Edges[*WaitEdge]];
    const Lock &Waited = G.lock(E.To);
    F.Check = WaitHoldingLockCheck;
    F.Message = fmt::format(
        "potential deadlock: {} {} while holding {}, which {} acquires: cycle {}",
        Waited.Kind == LockKind::Thread ? "joining" : "waiting on condition variable",
        quoted(Waited.Name), quoted(G.lock(E.From).Name),
        Waited.Kind == LockKind::Thread ? "the joined thread" : "its notifier", Chain);
  } else {
    F.Check = LockOrderCheck;
    F.Message = "potential deadlock: lock order cycle " + Chain;
  }

  bool FromSource = false, AtRunTime = false, EveryEdgeFromBoth = true;
  for (size_t EdgeIndex : C.Edges) {
    const Edge &E = G.edges()[EdgeIndex];
    bool S = representative(E, isStatic), R = representative(E, isNotStatic);
    FromSource |= S;
    AtRunTime |= R;
    EveryEdgeFromBoth &= S && R;
  }
  const bool Mixed = FromSource && AtRunTime;
  if (EveryEdgeFromBoth)
    F.Message += " (confirmed at run time)";

  const size_t Weakest = weakestEdge(G, C);

  for (size_t I = 0; I < C.Locks.size(); ++I) {
    const Edge &E = G.edges()[C.Edges[I]];
    const EdgeWording Wording = describeEdge(G, E);
    // Both halves of the story: the source's view and the run time's.
    for (auto *Half : {isStatic, isNotStatic}) {
      const EdgeEvidence *V = representative(E, Half);
      if (!V)
        continue;
      uint64_t SeenByHalf = 0;
      for (const EdgeEvidence &Any : E.Evidence)
        SeenByHalf += Half(Any) ? Any.Count : 0;
      // A wait cycle is reported at the wait, a lock-order cycle at its
      // first edge.
      if (I == WaitEdge.value_or(0) && !F.Location.hasSource() &&
          F.Location.Module.empty())
        F.Location = reportedFrame(V->AcquiredAt, G.lock(E.To).DeclaredAt);
      appendStackNotes(F.Notes, V->HeldAt, Wording.HeldAt);
      appendStackNotes(F.Notes, V->AcquiredAt,
                       Wording.AcquiredAt + describeWhere(G, *V, SeenByHalf) +
                           (Mixed ? provenance(*V) : ""));
    }
  }

  if (WaitEdge) {
    const Edge &E = G.edges()[C.Edges[*WaitEdge]];
    const EdgeEvidence *V = representative(E, isStatic);
    if (!V)
      V = representative(E, isNotStatic);
    F.Notes.push_back({reportedFrame(V->AcquiredAt, Frame{}),
                       fmt::format("to break the cycle, release {} before {} {} here",
                                   quoted(G.lock(E.From).Name),
                                   G.lock(E.To).Kind == LockKind::Thread ? "joining"
                                                                         : "waiting on",
                                   quoted(G.lock(E.To).Name))});
    F.Origin = Mixed ? "static+runtime" : FromSource ? "static" : AtRunTime ? "runtime" : "";
    return F;
  }

  const Edge &W = G.edges()[C.Edges[Weakest]];
  const EdgeEvidence *WV = representative(W, isStatic);
  if (!WV)
    WV = representative(W, isNotStatic);
  uint64_t Seen = W.totalCount();
  bool Tied = std::all_of(C.Edges.begin(), C.Edges.end(), [&](size_t EdgeIndex) {
    const Edge &E = G.edges()[EdgeIndex];
    return E.Evidence.size() == W.Evidence.size() && E.totalCount() == Seen;
  });
  F.Notes.push_back(
      {reportedFrame(WV->AcquiredAt, Frame{}),
       fmt::format("to break the cycle, acquire {} before {} here, or not at all "
                   "while holding it: {} {} {}",
                   quoted(G.lock(W.To).Name), quoted(G.lock(W.From).Name),
                   Tied ? "every edge of the cycle was seen" : "this edge was seen least often,",
                   Seen, Seen == 1 ? "time" : "times")});

  F.Origin = Mixed ? "static+runtime" : FromSource ? "static" : AtRunTime ? "runtime" : "";
  return F;
}

namespace {

std::vector<Finding> findingsFor(const LockGraph &G, const std::vector<Cycle> &Cycles,
                                 const DeadlockOptions &Opts) {
  std::vector<Finding> Findings;
  for (const Cycle &C : Cycles) {
    Finding F = makeCycleFinding(G, C);
    F.SuppressedBy = suppressionReason(G, C, Opts.Filters);
    Findings.push_back(std::move(F));
  }
  if (!Opts.Filters.SameFix)
    return Findings;
  // Shortest first: a cycle whose edges include the one a shorter reported
  // cycle's fix reverses is broken by that fix too.
  std::vector<size_t> ByLength(Cycles.size());
  for (size_t I = 0; I < Cycles.size(); ++I)
    ByLength[I] = I;
  std::stable_sort(ByLength.begin(), ByLength.end(), [&](size_t A, size_t B) {
    return Cycles[A].Locks.size() < Cycles[B].Locks.size();
  });
  std::map<size_t, size_t> FixedBy; // edge index -> the finding whose fix it is
  for (size_t I : ByLength) {
    const Cycle &C = Cycles[I];
    if (!Findings[I].SuppressedBy.empty() || throughWaitNode(G, C))
      continue;
    std::optional<size_t> Shorter;
    for (size_t EdgeIndex : C.Edges)
      if (auto It = FixedBy.find(EdgeIndex); It != FixedBy.end() && !Shorter)
        Shorter = It->second;
    if (!Shorter) {
      FixedBy.emplace(C.Edges[weakestEdge(G, C)], I);
      continue;
    }
    const Cycle &S = Cycles[*Shorter];
    const Edge &W = G.edges()[S.Edges[weakestEdge(G, S)]];
    Findings[I].SuppressedBy = fmt::format(
        "same fix: acquiring {} before {} (the fix suggested for the cycle {}) "
        "breaks this cycle too",
        quoted(G.lock(W.To).Name), quoted(G.lock(W.From).Name),
        Findings[*Shorter].FingerprintKey.substr(6));
  }
  return Findings;
}

/// Whether one process saw every edge of \p C. \p ProcessesOfEdge: the
/// processes that recorded each edge (by lock names).
bool seenWholeByOneProcess(
    const LockGraph &G, const Cycle &C,
    const std::map<std::pair<std::string, std::string>, std::vector<uint32_t>> &ProcessesOfEdge) {
  std::optional<std::vector<uint32_t>> Common; // nullopt: every process
  for (size_t EdgeIndex : C.Edges) {
    const Edge &E = G.edges()[EdgeIndex];
    if (std::any_of(E.Evidence.begin(), E.Evidence.end(),
                    [](const EdgeEvidence &V) { return V.Thread == NoThread; }))
      continue;
    auto It = ProcessesOfEdge.find({G.lock(E.From).Name, G.lock(E.To).Name});
    if (It == ProcessesOfEdge.end())
      return false;
    if (!Common) {
      Common = It->second;
      continue;
    }
    std::vector<uint32_t> Both;
    std::set_intersection(Common->begin(), Common->end(), It->second.begin(), It->second.end(),
                          std::back_inserter(Both));
    if (Both.empty())
      return false;
    Common = std::move(Both);
  }
  return true;
}

} // namespace

std::vector<Finding> findDeadlocks(const LockGraph &G, const DeadlockOptions &Opts) {
  return findingsFor(G, findCycles(G, Opts.Cycles), Opts);
}

std::vector<Finding> findCrossProcessDeadlocks(const LockGraph &G,
                                               const std::vector<ProcessEdges> &EdgesOfProcess,
                                               const DeadlockOptions &Opts) {
  std::vector<Cycle> Cycles = findCycles(G, Opts.Cycles);
  if (Cycles.empty())
    return {};
  std::map<std::pair<std::string, std::string>, std::vector<uint32_t>> ProcessesOfEdge;
  for (uint32_t P = 0; P < EdgesOfProcess.size(); ++P)
    for (const auto &Names : EdgesOfProcess[P])
      ProcessesOfEdge[Names].push_back(P); // ascending: set_intersection's order
  std::erase_if(Cycles, [&](const Cycle &C) {
    return seenWholeByOneProcess(G, C, ProcessesOfEdge);
  });
  return findingsFor(G, Cycles, Opts);
}

std::vector<Finding> findOrderViolations(const LockGraph &G,
                                         const std::vector<std::string> &Order) {
  std::unordered_map<LockId, size_t> Rank;
  for (size_t I = 0; I < Order.size(); ++I)
    if (auto L = G.findLock(Order[I]))
      Rank.emplace(*L, I);
  std::vector<Finding> Findings;
  for (const Edge &E : G.edges()) {
    auto From = Rank.find(E.From), To = Rank.find(E.To);
    if (From == Rank.end() || To == Rank.end() || From->second < To->second)
      continue;
    const EdgeEvidence *V = representative(E, isStatic);
    if (!V)
      V = representative(E, isNotStatic);
    const std::string FromName = quoted(G.lock(E.From).Name);
    const std::string ToName = quoted(G.lock(E.To).Name);
    Finding F;
    F.Check = LockOrderCheck;
    F.Message = fmt::format("acquiring {} while holding {} violates the declared lock "
                            "order ({} must be acquired first)",
                            ToName, FromName, ToName);
    F.Locks = {G.lock(E.From).Name, G.lock(E.To).Name};
    F.FingerprintKey = "declared-order:" + G.lock(E.From).Name + " -> " + G.lock(E.To).Name;
    F.Location = reportedFrame(V->AcquiredAt, Frame{});
    appendStackNotes(F.Notes, V->HeldAt, fmt::format("{} acquired here", FromName));
    appendStackNotes(F.Notes, V->AcquiredAt,
                     fmt::format("{} acquired here while holding {}{}", ToName, FromName,
                                 describeWhere(G, *V, E.totalCount())));
    F.Origin = isStatic(*V) ? "static" : V->Origin.empty() ? "" : "runtime";
    Findings.push_back(std::move(F));
  }
  return Findings;
}

} // namespace lockgraph

//===- TestGraphs.h - Small graph builders for the core unit tests --------===//
#ifndef LOCKGRAPH_UNITTESTS_CORE_TESTGRAPHS_H
#define LOCKGRAPH_UNITTESTS_CORE_TESTGRAPHS_H

#include "lockgraph/core/LockGraph.h"

#include <string>
#include <vector>

namespace lockgraph::test {

inline Frame at(const std::string &File, unsigned Line, const std::string &Fn = "") {
  Frame F;
  F.File = File;
  F.Line = Line;
  F.Column = 3;
  F.Function = Fn;
  return F;
}

/// Builds graphs edge by edge: lock names are created on first use, every
/// edge gets one observation in the given thread.
class GraphBuilder {
public:
  GraphBuilder() {
    for (int I = 0; I < 8; ++I)
      Threads.push_back(G.addThread("T" + std::to_string(I)));
  }

  LockId lock(const std::string &Name, LockKind Kind = LockKind::Mutex) {
    return G.addLock(Lock{Name, Kind, {}});
  }

  GraphBuilder &edge(const std::string &From, const std::string &To,
                     unsigned Thread = 0, std::vector<std::string> OtherHeld = {},
                     bool Try = false, AcquireMode FromMode = AcquireMode::Exclusive,
                     AcquireMode ToMode = AcquireMode::Exclusive) {
    EdgeEvidence E;
    E.Thread = Threads.at(Thread);
    E.TryAcquire = Try;
    E.FromMode = FromMode;
    E.ToMode = ToMode;
    for (const std::string &H : OtherHeld)
      E.OtherHeld.push_back(lock(H));
    E.HeldAt = {at("a.cc", ++Line, "f_" + From + To)};
    E.AcquiredAt = {at("a.cc", ++Line, "f_" + From + To), at("main.cc", 7, "main")};
    E.Origin = "runtime";
    G.addEdge(lock(From), lock(To), E);
    return *this;
  }

  /// A join of thread class \p To by thread \p Thread while holding \p From,
  /// in a hold of \p From that a condition-variable wait began.
  GraphBuilder &joinAfterWait(const std::string &From, const std::string &To,
                              unsigned Thread) {
    EdgeEvidence E = observation(From, To, Thread);
    E.HeldSinceWait = true;
    G.addEdge(lock(From), lock(To), E);
    return *this;
  }

  /// A join of thread class \p To by thread \p Thread while holding \p From,
  /// whose last hold of \p From notified a condition variable.
  GraphBuilder &joinOfDoneThread(const std::string &From, const std::string &To,
                                 unsigned Thread) {
    EdgeEvidence E = observation(From, To, Thread);
    E.JoinedThreadDone = true;
    G.addEdge(lock(From), lock(To), E);
    return *this;
  }

  /// An edge seen once in segment \p Segment of thread \p Thread.
  GraphBuilder &segmentEdge(const std::string &From, const std::string &To,
                            unsigned Thread, SegmentIndex Segment) {
    EdgeEvidence E = observation(From, To, Thread);
    E.Segment = Segment;
    G.addEdge(lock(From), lock(To), E);
    return *this;
  }

  /// Thread \p From, in segment \p FromSegment, started thread \p To.
  GraphBuilder &start(unsigned From, SegmentIndex FromSegment, unsigned To) {
    G.addThreadOrder({Threads.at(From), FromSegment, Threads.at(To), 0,
                      ThreadOrder::Start});
    return *this;
  }
  /// Thread \p To joined thread \p From, whose last segment was
  /// \p FromSegment, and went on in segment \p ToSegment.
  GraphBuilder &join(unsigned From, SegmentIndex FromSegment, unsigned To,
                     SegmentIndex ToSegment) {
    G.addThreadOrder({Threads.at(From), FromSegment, Threads.at(To), ToSegment,
                      ThreadOrder::Join});
    return *this;
  }

  LockGraph &graph() { return G; }

private:
  /// One runtime observation of From -> To in thread \p Thread, at lines of
  /// its own.
  EdgeEvidence observation(const std::string &From, const std::string &To,
                           unsigned Thread) {
    EdgeEvidence E;
    E.Thread = Threads.at(Thread);
    E.HeldAt = {at("a.cc", ++Line, "f_" + From + To)};
    E.AcquiredAt = {at("a.cc", ++Line, "f_" + From + To)};
    E.Origin = "runtime";
    return E;
  }

  LockGraph G;
  std::vector<ThreadIndex> Threads;
  unsigned Line = 10;
};

} // namespace lockgraph::test

#endif

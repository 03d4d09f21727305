//===- bench_cycles.cpp - Cycle detection on generated lock graphs --------===//
//
// Prints, for graphs of 10k, 100k and 1M edges in three shapes, the time to
// build the LockGraph, the time of findDeadlocks (SCCs, bounded circuit
// enumeration, filters, findings) with edges per second, and the time of a
// graph-file round trip (serialize + parse).
//
//   bench_cycles [--max-edges=N] [--seed=N]
//
// Shapes:
//   sparse  mostly ordered (a DAG over E/2 locks) with 16 planted cycles
//   dense   random edges among 4*sqrt(E) locks: one strongly connected blob
//   ring    one ring through E/2 locks plus E/2 random chords: one huge SCC
//
//===----------------------------------------------------------------------===//
#include "lockgraph/core/Deadlocks.h"
#include "lockgraph/core/GraphFile.h"
#include "lockgraph/core/LockGraph.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace lockgraph;
using Clock = std::chrono::steady_clock;

namespace {

struct Shape {
  const char *Name;
  std::vector<std::pair<uint32_t, uint32_t>> (*Make)(size_t Edges, std::mt19937_64 &Rng);
  size_t (*Vertices)(size_t Edges);
};

size_t halfEdges(size_t E) { return E / 2; }
size_t denseVertices(size_t E) { return size_t(4 * std::sqrt(double(E))); }

std::vector<std::pair<uint32_t, uint32_t>> sparse(size_t E, std::mt19937_64 &Rng) {
  const size_t V = halfEdges(E);
  std::vector<std::pair<uint32_t, uint32_t>> Out;
  std::vector<std::vector<uint32_t>> Successors(V);
  std::uniform_int_distribution<uint32_t> Pick(0, uint32_t(V - 1));
  while (Out.size() + 16 < E) {
    uint32_t A = Pick(Rng), B = Pick(Rng);
    if (A == B)
      continue;
    Out.emplace_back(std::min(A, B), std::max(A, B));
    Successors[std::min(A, B)].push_back(std::max(A, B));
  }
  // Plant inversions that do close cycles: walk a few edges forward from a
  // random lock, then add an edge back to it.
  while (Out.size() < E) {
    uint32_t From = Pick(Rng), At = From;
    for (int Step = 0; Step < 4 && !Successors[At].empty(); ++Step)
      At = Successors[At][Rng() % Successors[At].size()];
    if (At != From)
      Out.emplace_back(At, From);
  }
  return Out;
}

std::vector<std::pair<uint32_t, uint32_t>> dense(size_t E, std::mt19937_64 &Rng) {
  const size_t V = denseVertices(E);
  std::vector<std::pair<uint32_t, uint32_t>> Out;
  std::uniform_int_distribution<uint32_t> Pick(0, uint32_t(V - 1));
  while (Out.size() < E) {
    uint32_t A = Pick(Rng), B = Pick(Rng);
    if (A != B)
      Out.emplace_back(A, B);
  }
  return Out;
}

std::vector<std::pair<uint32_t, uint32_t>> ring(size_t E, std::mt19937_64 &Rng) {
  const size_t V = halfEdges(E);
  std::vector<std::pair<uint32_t, uint32_t>> Out;
  for (uint32_t I = 0; I < V; ++I)
    Out.emplace_back(I, uint32_t((I + 1) % V));
  std::uniform_int_distribution<uint32_t> Pick(0, uint32_t(V - 1));
  while (Out.size() < E) {
    uint32_t A = Pick(Rng), B = Pick(Rng);
    if (A != B)
      Out.emplace_back(A, B);
  }
  return Out;
}

double seconds(Clock::duration D) {
  return std::chrono::duration<double>(D).count();
}

} // namespace

int main(int argc, char **argv) {
  size_t MaxEdges = 1000000;
  uint64_t Seed = 1;
  for (int I = 1; I < argc; ++I) {
    if (!std::strncmp(argv[I], "--max-edges=", 12))
      MaxEdges = std::stoull(argv[I] + 12);
    else if (!std::strncmp(argv[I], "--seed=", 7))
      Seed = std::stoull(argv[I] + 7);
    else {
      fmt::print(stderr, "usage: bench_cycles [--max-edges=N] [--seed=N]\n");
      return 2;
    }
  }

  const Shape Shapes[] = {{"sparse", sparse, halfEdges},
                          {"dense", dense, denseVertices},
                          {"ring", ring, halfEdges}};
  fmt::print("{:<7} {:>9} {:>9} {:>10} {:>10} {:>9} {:>9} {:>14} {:>11}\n", "shape",
             "edges", "locks", "build s", "detect s", "cycles", "reported",
             "detect edges/s", "file i/o s");
  for (size_t Edges = 10000; Edges <= MaxEdges; Edges *= 10) {
    for (const Shape &S : Shapes) {
      std::mt19937_64 Rng(Seed);
      auto Pairs = S.Make(Edges, Rng);
      const size_t V = S.Vertices(Edges);

      auto T0 = Clock::now();
      LockGraph G;
      std::vector<LockId> Ids;
      Ids.reserve(V);
      for (size_t I = 0; I < V; ++I)
        Ids.push_back(G.addLock({"L" + std::to_string(I), LockKind::Mutex, {}}));
      for (int T = 0; T < 8; ++T)
        G.addThread("T" + std::to_string(T));
      for (size_t I = 0; I < Pairs.size(); ++I) {
        EdgeEvidence E;
        E.Thread = ThreadIndex(I % 8);
        E.Origin = "runtime";
        G.addEdge(Ids[Pairs[I].first], Ids[Pairs[I].second], std::move(E));
      }
      auto T1 = Clock::now();
      std::vector<Finding> Findings = findDeadlocks(G);
      auto T2 = Clock::now();

      // The graph file round trip `lockgraph report` pays: write, then parse.
      auto T3 = Clock::now();
      Result<LockGraph> Reread = parseGraph(serializeGraph(G), "bench");
      auto T4 = Clock::now();
      if (!Reread || Reread->edges().size() != G.edges().size()) {
        fmt::print(stderr, "graph file round trip failed\n");
        return 1;
      }

      size_t Reported = 0;
      for (const Finding &F : Findings)
        Reported += F.SuppressedBy.empty();
      fmt::print("{:<7} {:>9} {:>9} {:>10.3f} {:>10.3f} {:>9} {:>9} {:>14.0f} {:>11.3f}\n",
                 S.Name, G.edges().size(), V, seconds(T1 - T0), seconds(T2 - T1),
                 Findings.size(), Reported, double(G.edges().size()) / seconds(T2 - T1),
                 seconds(T4 - T3));
    }
  }
  return 0;
}

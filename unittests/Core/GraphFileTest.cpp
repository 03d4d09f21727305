#include "TestGraphs.h"

#include "lockgraph/core/GraphFile.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace lockgraph;
using namespace lockgraph::test;

namespace {
LockGraph sampleGraph() {
  GraphBuilder B;
  B.lock("rw", LockKind::RwLock);
  B.graph().addLock(Lock{"mutex@cache.cc:254#2", LockKind::Mutex, {}, "mutex@cache.cc:254"});
  B.edge("A", "B", 1, {"G"}).edge("B", "rw", 2, {}, /*Try=*/true, AcquireMode::Exclusive,
                                  AcquireMode::Shared);
  B.lock("thread:worker", LockKind::Thread);
  B.joinAfterWait("A", "thread:worker", 0);
  B.joinOfDoneThread("A", "thread:worker", 1);
  Finding F;
  F.Check = "lockgraph-blocking-under-lock";
  F.Message = "'A' is held across blocking call 'write'";
  F.Location = at("io.cc", 5, "flush");
  F.Notes.push_back({at("io.cc", 3), "'A' acquired here"});
  F.Locks = {"A"};
  F.FingerprintKey = "blocking:A:write";
  F.Origin = "runtime";
  B.graph().recordedFindings().push_back(F);
  return B.graph();
}

std::string errorOf(std::string_view Text) {
  Result<LockGraph> R = parseGraph(Text, "g.json");
  EXPECT_FALSE(R.ok());
  return R.ok() ? "" : R.error().Message;
}
} // namespace

TEST(GraphFileTest, RoundTripKeepsEverything) {
  LockGraph G = sampleGraph();
  std::string Text = serializeGraph(G, {"test", "runtime", "prog", 42});
  Result<LockGraph> R = parseGraph(Text, "mem");
  ASSERT_TRUE(R.ok()) << R.error().Message;
  const LockGraph &H = R.value();
  ASSERT_EQ(H.locks().size(), G.locks().size());
  for (size_t I = 0; I < G.locks().size(); ++I) {
    EXPECT_EQ(H.locks()[I].Name, G.locks()[I].Name);
    EXPECT_EQ(H.locks()[I].Kind, G.locks()[I].Kind);
    EXPECT_EQ(H.locks()[I].Class, G.locks()[I].Class);
  }
  EXPECT_EQ(H.lock(*H.findLock("mutex@cache.cc:254#2")).Class, "mutex@cache.cc:254");
  ASSERT_EQ(H.edges().size(), 3u);
  const EdgeEvidence &E0 = H.edges()[0].Evidence[0];
  EXPECT_EQ(E0.Thread, 1u);
  EXPECT_EQ(E0.OtherHeld, (std::vector<LockId>{*H.findLock("G")}));
  EXPECT_EQ(E0.AcquiredAt, G.edges()[0].Evidence[0].AcquiredAt);
  EXPECT_EQ(E0.Origin, "runtime");
  const EdgeEvidence &E1 = H.edges()[1].Evidence[0];
  EXPECT_TRUE(E1.TryAcquire);
  EXPECT_EQ(E1.ToMode, AcquireMode::Shared);
  EXPECT_FALSE(E1.HeldSinceWait);
  ASSERT_EQ(H.edges()[2].Evidence.size(), 2u);
  EXPECT_TRUE(H.edges()[2].Evidence[0].HeldSinceWait);
  EXPECT_FALSE(H.edges()[2].Evidence[0].JoinedThreadDone);
  EXPECT_TRUE(H.edges()[2].Evidence[1].JoinedThreadDone);
  ASSERT_EQ(H.recordedFindings().size(), 1u);
  EXPECT_EQ(H.recordedFindings()[0].Message, G.recordedFindings()[0].Message);
  EXPECT_EQ(H.recordedFindings()[0].Notes[0].Where.Line, 3u);
  // Serializing again gives the same text: the format is deterministic.
  EXPECT_EQ(serializeGraph(H, {"test", "runtime", "prog", 42}), Text);
}

TEST(GraphFileTest, ThreadOrderAndSegmentsSurviveRoundTripAndMerge) {
  LockGraph G = sampleGraph();
  EXPECT_EQ(serializeGraph(G).find("thread_order"), std::string::npos);
  G.addThreadOrder({0, 0, 1, 0, ThreadOrder::Start});
  G.addThreadOrder({1, 0, 0, 2, ThreadOrder::Join});
  EdgeEvidence E;
  E.Thread = 1;
  E.Segment = 3;
  G.addEdge(*G.findLock("A"), *G.findLock("G"), E);
  Result<LockGraph> R = parseGraph(serializeGraph(G), "mem");
  ASSERT_TRUE(R.ok()) << R.error().Message;
  EXPECT_EQ(R.value().threadOrders(), G.threadOrders());
  const LockGraph &H = R.value();
  const Edge &AG = H.edges()[*H.findEdge(*H.findLock("A"), *H.findLock("G"))];
  EXPECT_EQ(AG.Evidence[0].Segment, 3u);
  EXPECT_EQ(H.edges()[0].Evidence[0].Segment, NoSegment);
  // Merged after another graph's threads, the orders follow their threads.
  LockGraph Merged;
  Merged.merge(sampleGraph());
  Merged.merge(H);
  const size_t Offset = sampleGraph().threads().size();
  ASSERT_EQ(Merged.threadOrders().size(), 2u);
  EXPECT_EQ(Merged.threadOrders()[0],
            (ThreadOrder{ThreadIndex(Offset), 0, ThreadIndex(Offset + 1), 0,
                         ThreadOrder::Start}));
  EXPECT_EQ(Merged.threadOrders()[1].How, ThreadOrder::Join);
  EXPECT_NE(errorOf(R"({"format":"lockgraph-graph","version":2,"threads":["a"],)"
                    R"("thread_order":[[0,0,1,0,"start"]],"locks":[],"edges":[]})")
                .find("$.thread_order[0][2]: thread index 1 out of range"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"format":"lockgraph-graph","version":2,)"
                    R"("thread_order":[[0,0,1,0,"start"]],"threads":["a","b"],"locks":[],"edges":[]})")
                .find("$.thread_order"),
            std::string::npos);
}

TEST(GraphFileTest, SampledOutCountSurvivesRoundTripAndMerge) {
  LockGraph G = sampleGraph();
  EXPECT_EQ(serializeGraph(G).find("sampled_out"), std::string::npos);
  G.addSampledOut(7952);
  Result<LockGraph> R = parseGraph(serializeGraph(G), "mem");
  ASSERT_TRUE(R.ok()) << R.error().Message;
  EXPECT_EQ(R.value().sampledOut(), 7952u);
  LockGraph Merged;
  Merged.merge(R.value());
  Merged.merge(G);
  EXPECT_EQ(Merged.sampledOut(), 2 * 7952u);
  EXPECT_NE(errorOf(R"({"format":"lockgraph-graph","version":2,"sampled_out":-3,)"
                    R"("locks":[],"edges":[]})")
                .find("$.sampled_out"),
            std::string::npos);
}

TEST(GraphFileTest, DroppedReportCountSurvivesRoundTripAndMerge) {
  LockGraph G = sampleGraph();
  EXPECT_EQ(serializeGraph(G).find("reports_dropped"), std::string::npos);
  G.addReportsDropped(65280);
  Result<LockGraph> R = parseGraph(serializeGraph(G), "mem");
  ASSERT_TRUE(R.ok()) << R.error().Message;
  EXPECT_EQ(R.value().reportsDropped(), 65280u);
  LockGraph Merged;
  Merged.merge(R.value());
  Merged.merge(G);
  EXPECT_EQ(Merged.reportsDropped(), 2 * 65280u);
  EXPECT_NE(errorOf(R"({"format":"lockgraph-graph","version":2,"reports_dropped":"x",)"
                    R"("locks":[],"edges":[]})")
                .find("$.reports_dropped"),
            std::string::npos);
}

TEST(GraphFileTest, TruncatedFileIsNamedAsTruncated) {
  std::string Text = serializeGraph(sampleGraph());
  std::string Message = errorOf(std::string_view(Text).substr(0, Text.size() / 2));
  EXPECT_NE(Message.find("g.json"), std::string::npos) << Message;
  EXPECT_NE(Message.find("truncated"), std::string::npos) << Message;
}

TEST(GraphFileTest, SyntaxErrorGivesLineAndColumn) {
  std::string Message = errorOf("{\n  \"format\": \"lockgraph-graph\",\n  \"version\": 1 x\n}");
  EXPECT_NE(Message.find("g.json:3:"), std::string::npos) << Message;
  EXPECT_NE(Message.find("malformed JSON"), std::string::npos) << Message;
}

TEST(GraphFileTest, WrongVersionAndFormatAreRejected) {
  EXPECT_NE(errorOf(R"({"format":"lockgraph-graph","version":99,"locks":[],"edges":[]})")
                .find("unsupported format version 99 (this lockgraph reads versions 1 to 2)"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"format":"sarif","version":1,"locks":[],"edges":[]})")
                .find("not a lockgraph graph file"),
            std::string::npos);
  EXPECT_NE(errorOf("[1,2]").find("expected an object"), std::string::npos);
  EXPECT_NE(errorOf("  \n").find("empty file"), std::string::npos);
}

TEST(GraphFileTest, BadReferencesNameTheirJsonPath) {
  std::string Message = errorOf(
      R"({"format":"lockgraph-graph","version":1,"locks":[{"name":"A"}],)"
      R"("edges":[{"from":0,"to":5,"evidence":[]}]})");
  EXPECT_NE(Message.find("$.edges[0].to"), std::string::npos) << Message;
  EXPECT_NE(Message.find("out of range"), std::string::npos) << Message;
  Message = errorOf(R"({"format":"lockgraph-graph","version":1,"locks":[{"name":7}],"edges":[]})");
  EXPECT_NE(Message.find("$.locks[0].name: expected a string"), std::string::npos) << Message;
  Message = errorOf(R"({"format":"lockgraph-graph","version":1,"locks":[{"name":"A","kind":"semaphore"}],"edges":[]})");
  EXPECT_NE(Message.find("unknown lock kind"), std::string::npos) << Message;
}

TEST(GraphFileTest, StacksAndFramesAreStoredOnce) {
  // Many observations share a few stacks, as at run time.
  LockGraph G;
  ThreadIndex T = G.addThread("T0");
  Stack Held = {at("a.cc", 1, "outer"), at("main.cc", 7, "main")};
  Stack Acquired = {at("a.cc", 2, "inner"), at("a.cc", 1, "outer"),
                    at("main.cc", 7, "main")};
  LockId Outer = G.addLock({"outer", LockKind::Mutex, {}});
  for (int I = 0; I < 50; ++I) {
    EdgeEvidence E;
    E.Thread = T;
    E.HeldAt = Held;
    E.AcquiredAt = Acquired;
    E.Origin = "runtime";
    G.addEdge(Outer, G.addLock({"inner" + std::to_string(I), LockKind::Mutex, {}}),
              std::move(E));
  }
  std::string Text = serializeGraph(G, {"test", "runtime", "", 0});
  // Four distinct frames, two distinct stacks, each written once.
  EXPECT_EQ(Text.find("\"function\": \"main\""), Text.rfind("\"function\": \"main\""));
  EXPECT_NE(Text.find("\"stacks\": [\n [0, 1],\n [2, 0, 1]\n]"), std::string::npos)
      << Text.substr(0, 600);
  EXPECT_NE(Text.find("\"held_at\": 0, \"acquired_at\": 1"), std::string::npos);
  Result<LockGraph> R = parseGraph(Text, "mem");
  ASSERT_TRUE(R.ok()) << R.error().Message;
  ASSERT_EQ(R->edges().size(), 50u);
  for (const Edge &E : R->edges()) {
    EXPECT_EQ(E.Evidence[0].HeldAt, Held);
    EXPECT_EQ(E.Evidence[0].AcquiredAt, Acquired);
    EXPECT_EQ(E.Evidence[0].Origin, "runtime");
    // Read once, shared by every piece of evidence that names it.
    EXPECT_EQ(&E.Evidence[0].HeldAt.frames(), &R->edges()[0].Evidence[0].HeldAt.frames());
  }
}

TEST(GraphFileTest, ReadsVersionOneWithInlineStacks) {
  const char *V1 = R"({"format": "lockgraph-graph", "version": 1,
    "producer": {"tool": "lockgraph-runtime", "origin": "runtime:pid=7"},
    "threads": ["T0", "T1"],
    "locks": [{"name": "A", "kind": "mutex", "declared": {"file": "a.c", "line": 3}},
              {"name": "B", "kind": "rwlock"}],
    "edges": [{"from": 0, "to": 1, "evidence": [
      {"thread": 1, "count": 3, "from_mode": "exclusive", "to_mode": "shared",
       "try": false, "other_held": [],
       "held_at": [{"function": "f", "file": "a.c", "line": 9, "column": 5}],
       "acquired_at": [{"function": "g", "file": "a.c", "line": 12},
                       {"module": "/bin/x", "offset": 4096}]}]}],
    "findings": []})";
  Result<LockGraph> R = parseGraph(V1, "v1.json");
  ASSERT_TRUE(R.ok()) << R.error().Message;
  ASSERT_EQ(R->edges().size(), 1u);
  const EdgeEvidence &E = R->edges()[0].Evidence[0];
  EXPECT_EQ(E.Thread, 1u);
  EXPECT_EQ(E.Count, 3u);
  EXPECT_EQ(E.ToMode, AcquireMode::Shared);
  EXPECT_EQ(E.Origin, "runtime:pid=7");
  ASSERT_EQ(E.HeldAt.size(), 1u);
  EXPECT_EQ(E.HeldAt[0].Line, 9u);
  ASSERT_EQ(E.AcquiredAt.size(), 2u);
  EXPECT_EQ(E.AcquiredAt[1].Module, "/bin/x");
  EXPECT_EQ(E.AcquiredAt[1].Offset, 4096u);
  EXPECT_EQ(R->lock(0).DeclaredAt.Line, 3u);
  // Written back, it is version 2 and reads the same.
  std::string Text = serializeGraph(R.value());
  EXPECT_NE(Text.find("\"version\": 2"), std::string::npos);
  Result<LockGraph> Again = parseGraph(Text, "v2.json");
  ASSERT_TRUE(Again.ok()) << Again.error().Message;
  EXPECT_EQ(Again->edges()[0].Evidence[0].AcquiredAt, E.AcquiredAt);
}

TEST(GraphFileTest, MembersMayComeInAnyOrder) {
  // Tables that refer to others may come first (a hand-written file).
  const char *Text = R"({"edges": [{"from": 1, "to": 0, "evidence": [
      {"thread": 0, "held_at": 0, "acquired_at": [{"function": "h"}]}]}],
    "stacks": [[1, 0]],
    "findings": [{"check": "lockgraph-x", "message": "m"}],
    "locks": [{"name": "A"}, {"name": "B"}],
    "frames": [{"function": "f"}, {"function": "g"}],
    "threads": ["T0"],
    "producer": {"origin": "late"},
    "version": 2, "format": "lockgraph-graph"})";
  Result<LockGraph> R = parseGraph(Text, "g.json");
  ASSERT_TRUE(R.ok()) << R.error().Message;
  ASSERT_EQ(R->edges().size(), 1u);
  const Edge &E = R->edges()[0];
  EXPECT_EQ(R->lock(E.From).Name, "B");
  ASSERT_EQ(E.Evidence[0].HeldAt.size(), 2u);
  EXPECT_EQ(E.Evidence[0].HeldAt[0].Function, "g");
  EXPECT_EQ(E.Evidence[0].AcquiredAt[0].Function, "h");
  EXPECT_EQ(E.Evidence[0].Origin, "late");
  ASSERT_EQ(R->recordedFindings().size(), 1u);
  EXPECT_EQ(R->recordedFindings()[0].Origin, "late");
}

TEST(GraphFileTest, BadStackReferencesNameTheirJsonPath) {
  std::string Message = errorOf(
      R"({"format":"lockgraph-graph","version":2,"frames":[{"function":"f"}],)"
      R"("stacks":[[0]],"locks":[{"name":"A"},{"name":"B"}],)"
      R"("edges":[{"from":0,"to":1,"evidence":[{"held_at":3}]}]})");
  EXPECT_NE(Message.find("$.edges[0].evidence[0].held_at: expected a stack index below 1"),
            std::string::npos)
      << Message;
  Message = errorOf(R"({"format":"lockgraph-graph","version":2,"frames":[],)"
                    R"("stacks":[[0]],"locks":[],"edges":[]})");
  EXPECT_NE(Message.find("$.stacks[0][0]: expected a frame index below 0"),
            std::string::npos)
      << Message;
  // A stack index means nothing in version 1.
  Message = errorOf(R"({"format":"lockgraph-graph","version":1,)"
                    R"("locks":[{"name":"A"},{"name":"B"}],)"
                    R"("edges":[{"from":0,"to":1,"evidence":[{"held_at":0}]}]})");
  EXPECT_NE(Message.find("$.edges[0].evidence[0].held_at: expected an array"),
            std::string::npos)
      << Message;
  // A syntax error later in the file wins over a format error before it.
  Message = errorOf(R"({"format":"lockgraph-graph","version":2,"locks":[{"name":""}],)"
                    "\n\"edges\": [} ]}");
  EXPECT_NE(Message.find("g.json:2:"), std::string::npos) << Message;
}

TEST(GraphFileTest, ReadingAMissingFileIsAnError) {
  Result<LockGraph> R = readGraphFile("/nonexistent/dir/graph.json");
  ASSERT_FALSE(R.ok());
  EXPECT_NE(R.error().Message.find("/nonexistent/dir/graph.json: cannot open"),
            std::string::npos);
}

TEST(GraphFileTest, AtomicWriteReplacesTheFileAndLeavesNoTemporaries) {
  auto Dir = std::filesystem::temp_directory_path() /
             ("lockgraph-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(Dir);
  std::string Path = (Dir / "g.json").string();
  { std::ofstream(Path) << "old"; }
  ASSERT_TRUE(writeGraphFileAtomic(sampleGraph(), Path).ok());
  Result<LockGraph> R = readGraphFile(Path);
  ASSERT_TRUE(R.ok()) << R.error().Message;
  EXPECT_EQ(R->edges().size(), sampleGraph().edges().size());
  size_t Files = 0;
  for ([[maybe_unused]] auto &Entry : std::filesystem::directory_iterator(Dir))
    ++Files;
  EXPECT_EQ(Files, 1u);
  std::filesystem::remove_all(Dir);
}

TEST(GraphFileTest, NewFileNeverReplacesOneOfTheSameName) {
  auto Dir = std::filesystem::temp_directory_path() /
             ("lockgraph-test-new-" + std::to_string(::getpid()));
  std::filesystem::create_directories(Dir);
  std::string Stem = (Dir / "lockgraph.42").string();
  { std::ofstream(Stem + ".json") << "earlier process"; }
  Result<std::string> Second = writeNewGraphFile(sampleGraph(), Stem);
  ASSERT_TRUE(Second.ok()) << Second.error().Message;
  EXPECT_EQ(*Second, Stem + ".2.json");
  Result<std::string> Third = writeNewGraphFile(sampleGraph(), Stem);
  ASSERT_TRUE(Third.ok()) << Third.error().Message;
  EXPECT_EQ(*Third, Stem + ".3.json");
  std::ifstream Earlier(Stem + ".json");
  std::string Kept((std::istreambuf_iterator<char>(Earlier)),
                   std::istreambuf_iterator<char>());
  EXPECT_EQ(Kept, "earlier process");
  Result<LockGraph> R = readGraphFile(*Third);
  ASSERT_TRUE(R.ok()) << R.error().Message;
  EXPECT_EQ(R->edges().size(), sampleGraph().edges().size());
  size_t Files = 0;
  for ([[maybe_unused]] auto &Entry : std::filesystem::directory_iterator(Dir))
    ++Files;
  EXPECT_EQ(Files, 3u); // no temporaries left
  std::filesystem::remove_all(Dir);
}

TEST(GraphFileTest, AtomicWriteReportsAnUnwritableDirectory) {
  Status S = writeGraphFileAtomic(sampleGraph(), "/nonexistent/dir/g.json");
  ASSERT_FALSE(S.ok());
  EXPECT_NE(S.error().Message.find("cannot create"), std::string::npos);
}

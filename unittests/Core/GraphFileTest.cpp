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
  B.edge("A", "B", 1, {"G"}).edge("B", "rw", 2, {}, /*Try=*/true, AcquireMode::Exclusive,
                                  AcquireMode::Shared);
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
  }
  ASSERT_EQ(H.edges().size(), 2u);
  const EdgeEvidence &E0 = H.edges()[0].Evidence[0];
  EXPECT_EQ(E0.Thread, 1u);
  EXPECT_EQ(E0.OtherHeld, (std::vector<LockId>{*H.findLock("G")}));
  EXPECT_EQ(E0.AcquiredAt, G.edges()[0].Evidence[0].AcquiredAt);
  EXPECT_EQ(E0.Origin, "runtime");
  const EdgeEvidence &E1 = H.edges()[1].Evidence[0];
  EXPECT_TRUE(E1.TryAcquire);
  EXPECT_EQ(E1.ToMode, AcquireMode::Shared);
  ASSERT_EQ(H.recordedFindings().size(), 1u);
  EXPECT_EQ(H.recordedFindings()[0].Message, G.recordedFindings()[0].Message);
  EXPECT_EQ(H.recordedFindings()[0].Notes[0].Where.Line, 3u);
  // Serializing again gives the same text: the format is deterministic.
  EXPECT_EQ(serializeGraph(H, {"test", "runtime", "prog", 42}), Text);
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
                .find("unsupported format version 99"),
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
  EXPECT_EQ(R->edges().size(), 2u);
  size_t Files = 0;
  for ([[maybe_unused]] auto &Entry : std::filesystem::directory_iterator(Dir))
    ++Files;
  EXPECT_EQ(Files, 1u);
  std::filesystem::remove_all(Dir);
}

TEST(GraphFileTest, AtomicWriteReportsAnUnwritableDirectory) {
  Status S = writeGraphFileAtomic(sampleGraph(), "/nonexistent/dir/g.json");
  ASSERT_FALSE(S.ok());
  EXPECT_NE(S.error().Message.find("cannot create"), std::string::npos);
}

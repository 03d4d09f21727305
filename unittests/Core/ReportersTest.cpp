#include "TestGraphs.h"

#include "lockgraph/core/Deadlocks.h"
#include "lockgraph/core/Reporters.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace lockgraph;
using namespace lockgraph::test;
using nlohmann::json;

namespace {
Finding cycleFinding(unsigned FirstLine = 10) {
  Finding F;
  F.Check = "lockgraph-lock-order";
  F.Message = "potential deadlock: lock order cycle A -> B -> A";
  F.Location = at("/src/proj/a.cc", FirstLine, "f");
  F.Notes = {{at("/src/proj/a.cc", FirstLine - 1), "'A' acquired here"},
             {Frame{}, "held by a thread without a stack"}};
  F.Locks = {"A", "B"};
  F.FingerprintKey = "cycle:A -> B -> A";
  F.Origin = "static";
  return F;
}
} // namespace

TEST(ReportersTest, TextIsClangTidyShaped) {
  std::string Text = renderText({cycleFinding()});
  EXPECT_EQ(Text,
            "/src/proj/a.cc:10:3: warning: potential deadlock: lock order cycle "
            "A -> B -> A [lockgraph-lock-order]\n"
            "/src/proj/a.cc:9:3: note: 'A' acquired here\n"
            "note: held by a thread without a stack\n");
}

TEST(ReportersTest, SuppressedFindingsAreHiddenUnlessAsked) {
  Finding F = cycleFinding();
  F.SuppressedBy = "single thread: ...";
  EXPECT_EQ(renderText({F}), "");
  ReportOptions Show;
  Show.ShowSuppressed = true;
  EXPECT_NE(renderText({F}, Show).find("note: not reported: single thread: ..."),
            std::string::npos);
  json J = json::parse(renderJson({F}));
  EXPECT_EQ(J["findings"].size(), 0u);
  EXPECT_EQ(J["suppressed_count"], 1);
}

TEST(ReportersTest, FingerprintIgnoresLineNumbersButNotTheCycle) {
  Finding Moved = cycleFinding(50);
  EXPECT_EQ(fingerprint(cycleFinding()), fingerprint(Moved));
  Finding Other = cycleFinding();
  Other.FingerprintKey = "cycle:A -> C -> A";
  EXPECT_NE(fingerprint(cycleFinding()), fingerprint(Other));
  EXPECT_EQ(fingerprint(cycleFinding()).size(), 16u);
}

TEST(ReportersTest, SarifHasRulesLocationsAndFingerprints) {
  ReportOptions Opts;
  Opts.SourceRoot = "/src/proj";
  json Log = json::parse(renderSarif({cycleFinding()}, Opts));
  EXPECT_EQ(Log["version"], "2.1.0");
  const json &Run = Log["runs"][0];
  EXPECT_EQ(Run["tool"]["driver"]["name"], "lockgraph");
  EXPECT_EQ(Run["tool"]["driver"]["rules"][0]["id"], "lockgraph-lock-order");
  EXPECT_EQ(Run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///src/proj/");
  const json &Result = Run["results"][0];
  EXPECT_EQ(Result["ruleId"], "lockgraph-lock-order");
  EXPECT_EQ(Result["ruleIndex"], 0);
  const json &Phys = Result["locations"][0]["physicalLocation"];
  EXPECT_EQ(Phys["artifactLocation"]["uri"], "a.cc");
  EXPECT_EQ(Phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(Phys["region"]["startLine"], 10);
  EXPECT_EQ(Result["partialFingerprints"]["lockgraphFingerprint/v1"],
            fingerprint(cycleFinding()));
  EXPECT_EQ(Result["relatedLocations"].size(), 2u);
  EXPECT_EQ(Result["relatedLocations"][0]["message"]["text"], "'A' acquired here");
}

TEST(ReportersTest, SarifUsesFileUrisOutsideTheSourceRoot) {
  ReportOptions Opts;
  Opts.SourceRoot = "/elsewhere";
  json Log = json::parse(renderSarif({cycleFinding()}, Opts));
  EXPECT_EQ(Log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
               ["artifactLocation"]["uri"],
            "file:///src/proj/a.cc");
  // "/src/projX" must not count as inside "/src/proj".
  Opts.SourceRoot = "/src/pro";
  Log = json::parse(renderSarif({cycleFinding()}, Opts));
  EXPECT_EQ(Log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
               ["artifactLocation"]["uri"],
            "file:///src/proj/a.cc");
}

TEST(ReportersTest, JsonListsFindingsWithFingerprints) {
  json J = json::parse(renderJson({cycleFinding()}));
  EXPECT_EQ(J["format"], "lockgraph-findings");
  ASSERT_EQ(J["findings"].size(), 1u);
  EXPECT_EQ(J["findings"][0]["check"], "lockgraph-lock-order");
  EXPECT_EQ(J["findings"][0]["location"]["line"], 10);
  EXPECT_EQ(J["findings"][0]["locks"], json({"A", "B"}));
  EXPECT_EQ(J["findings"][0]["fingerprint"], fingerprint(cycleFinding()));
}

TEST(ReportersTest, NotesGoToTheSarifInvocationAndTheJsonRoot) {
  ReportOptions Opts;
  EXPECT_FALSE(json::parse(renderSarif({cycleFinding()}, Opts))["runs"][0].contains(
      "invocations"));
  EXPECT_FALSE(json::parse(renderJson({cycleFinding()}, Opts)).contains("notes"));
  Opts.Notes = {"7 lock acquisitions were not recorded"};
  json Run = json::parse(renderSarif({cycleFinding()}, Opts))["runs"][0];
  ASSERT_EQ(Run["invocations"].size(), 1u);
  EXPECT_EQ(Run["invocations"][0]["executionSuccessful"], true);
  const json &Note = Run["invocations"][0]["toolExecutionNotifications"][0];
  EXPECT_EQ(Note["level"], "note");
  EXPECT_EQ(Note["message"]["text"], "7 lock acquisitions were not recorded");
  EXPECT_EQ(json::parse(renderJson({cycleFinding()}, Opts))["notes"],
            json({"7 lock acquisitions were not recorded"}));
}

TEST(ReportersTest, DotHighlightsOnlyReportedCycleEdges) {
  GraphBuilder B;
  B.edge("A", "B", 0).edge("B", "A", 1).edge("B", "C", 1);
  B.edge("X\"q", "Y", 2).edge("Y", "X\"q", 2); // single thread: suppressed
  auto Findings = findDeadlocks(B.graph());
  std::string Dot = renderDot(B.graph(), Findings);
  EXPECT_NE(Dot.find("digraph lockgraph {"), std::string::npos);
  EXPECT_NE(Dot.find("label=\"X\\\"q\""), std::string::npos) << Dot;
  auto red = [&](const std::string &From, const std::string &To) {
    std::string Edge = "n" + std::to_string(*B.graph().findLock(From)) + " -> n" +
                       std::to_string(*B.graph().findLock(To)) + " ";
    size_t Pos = Dot.find(Edge);
    EXPECT_NE(Pos, std::string::npos) << Edge;
    size_t End = Dot.find('\n', Pos);
    return Dot.substr(Pos, End - Pos).find("color=red") != std::string::npos;
  };
  EXPECT_TRUE(red("A", "B"));
  EXPECT_TRUE(red("B", "A"));
  EXPECT_FALSE(red("B", "C"));
  EXPECT_FALSE(red("X\"q", "Y"));
}

TEST(ReportersTest, EveryKnownCheckHasHelp) {
  for (const CheckInfo &C : knownChecks()) {
    EXPECT_EQ(C.Name.rfind("lockgraph-", 0), 0u);
    EXPECT_FALSE(C.ShortDescription.empty());
    EXPECT_NE(C.Help.find("docs/checks/" + std::string(C.Name) + ".md"), std::string::npos);
  }
}

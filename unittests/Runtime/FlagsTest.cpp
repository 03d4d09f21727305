//===- FlagsTest.cpp - LOCKGRAPH_OPTIONS parsing ----------------------------===//
#include "lg_flags.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace lockgraph::rt;

namespace {

struct Parsed {
  Flags F;
  std::vector<std::string> Warnings;
  unsigned Problems = 0;
};

Parsed parse(const char *Text) {
  Parsed P;
  P.F.setDefaults();
  P.Problems = parseFlags(
      P.F, Text,
      [](const char *Msg, void *Ctx) {
        static_cast<std::vector<std::string> *>(Ctx)->push_back(Msg);
      },
      &P.Warnings);
  return P;
}

TEST(FlagsTest, DefaultsObserveAndDoNotBreak) {
  Flags F;
  F.setDefaults();
  EXPECT_EQ(F.exitcode, 0);
  EXPECT_FALSE(F.abort_on_deadlock);
  EXPECT_TRUE(F.report_at_exit);
  EXPECT_STREQ(F.output_dir, "");
  EXPECT_EQ(F.verbosity, 0);
}

TEST(FlagsTest, ParsesColonSeparatedKeyValues) {
  Parsed P = parse("exitcode=66:abort_on_deadlock=1:output_dir=/tmp/x:"
                   "verbosity=2:stack_depth=10");
  EXPECT_EQ(P.Problems, 0u);
  EXPECT_TRUE(P.Warnings.empty());
  EXPECT_EQ(P.F.exitcode, 66);
  EXPECT_TRUE(P.F.abort_on_deadlock);
  EXPECT_STREQ(P.F.output_dir, "/tmp/x");
  EXPECT_EQ(P.F.verbosity, 2);
  EXPECT_EQ(P.F.stack_depth, 10);
}

TEST(FlagsTest, CommasAndSpacesAlsoSeparate) {
  Parsed P = parse(" exitcode=3, report_at_exit=false  detect_blocking=no ");
  EXPECT_EQ(P.Problems, 0u);
  EXPECT_EQ(P.F.exitcode, 3);
  EXPECT_FALSE(P.F.report_at_exit);
  EXPECT_FALSE(P.F.detect_blocking);
}

TEST(FlagsTest, QuotedValuesKeepSeparators) {
  Parsed P = parse("output_dir=\"/tmp/a:b c\":exitcode=1");
  EXPECT_EQ(P.Problems, 0u);
  EXPECT_STREQ(P.F.output_dir, "/tmp/a:b c");
  EXPECT_EQ(P.F.exitcode, 1);
}

TEST(FlagsTest, LaterValuesWin) {
  Parsed P = parse("exitcode=1:exitcode=2");
  EXPECT_EQ(P.F.exitcode, 2);
}

TEST(FlagsTest, UnknownOptionIsOneWarningLine) {
  Parsed P = parse("no_such_flag=1:exitcode=5");
  EXPECT_EQ(P.Problems, 1u);
  ASSERT_EQ(P.Warnings.size(), 1u);
  EXPECT_NE(P.Warnings[0].find("unknown option 'no_such_flag'"),
            std::string::npos);
  EXPECT_EQ(P.Warnings[0].find('\n'), std::string::npos);
  EXPECT_EQ(P.F.exitcode, 5); // the rest still applies
}

TEST(FlagsTest, BadValuesAreReportedAndIgnored) {
  Parsed P = parse("exitcode=abc:abort_on_deadlock=maybe:verbosity");
  EXPECT_EQ(P.Problems, 3u);
  EXPECT_EQ(P.F.exitcode, 0);
  EXPECT_FALSE(P.F.abort_on_deadlock);
  EXPECT_NE(P.Warnings[0].find("bad value for option 'exitcode'"),
            std::string::npos);
}

TEST(FlagsTest, NegativeIntegers) {
  Parsed P = parse("exitcode=-1");
  EXPECT_EQ(P.Problems, 0u);
  EXPECT_EQ(P.F.exitcode, -1);
}

TEST(FlagsTest, EmptyAndNullTextChangeNothing) {
  EXPECT_EQ(parse("").Problems, 0u);
  Flags F;
  F.setDefaults();
  EXPECT_EQ(parseFlags(F, nullptr, nullptr, nullptr), 0u);
  EXPECT_EQ(F.exitcode, 0);
}

TEST(FlagsTest, PrintFlagsListsEveryFlag) {
  Flags F;
  F.setDefaults();
  std::string Out;
  printFlags(
      F,
      [](const char *Line, void *Ctx) {
        *static_cast<std::string *>(Ctx) += Line;
      },
      &Out);
#define LOCKGRAPH_FLAG(Type, Name, Default, Help)                              \
  EXPECT_NE(Out.find("  " #Name "="), std::string::npos) << #Name;
#include "lg_flags.inc"
#undef LOCKGRAPH_FLAG
}

} // namespace

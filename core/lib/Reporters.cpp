//===- Reporters.cpp - Findings as text, SARIF 2.1.0, JSON and DOT --------===//
#include "lockgraph/core/Reporters.h"
#include "JsonForm.h"
#include "lockgraph/core/Deadlocks.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace lockgraph {

using json = nlohmann::ordered_json;

namespace {

constexpr int JsonIndent = 2;

std::string dump(const json &J) {
  return J.dump(JsonIndent, ' ', false, json::error_handler_t::replace) + "\n";
}

/// "file:line:col: " as GCC and Clang print it, or "" without a location
/// (clang prints such notes starting at "note:").
std::string locationPrefix(const Frame &F) {
  if (!F.hasSource())
    return "";
  if (F.Column)
    return fmt::format("{}:{}:{}: ", F.File, F.Line, F.Column);
  return fmt::format("{}:{}: ", F.File, F.Line);
}

std::string severityName(Severity S) {
  return S == Severity::Error ? "error" : "warning";
}

/// Percent-encodes what may not appear raw in a URI path.
std::string uriPath(std::string_view Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (std::isalnum(C) || std::string_view("/-._~").find(char(C)) != std::string_view::npos)
      Out += char(C);
    else
      Out += fmt::format("%{:02X}", C);
  }
  return Out;
}

json artifactLocation(const std::string &File, const std::string &Root) {
  if (!Root.empty() && File.size() > Root.size() && File.compare(0, Root.size(), Root) == 0 &&
      (File[Root.size()] == '/' || Root.back() == '/')) {
    size_t Skip = Root.size() + (Root.back() == '/' ? 0 : 1);
    return {{"uri", uriPath(std::string_view(File).substr(Skip))},
            {"uriBaseId", "%SRCROOT%"}};
  }
  if (!File.empty() && File.front() == '/')
    return {{"uri", "file://" + uriPath(File)}};
  // A relative path is relative to where the tool runs, the source root.
  if (!Root.empty())
    return {{"uri", uriPath(File)}, {"uriBaseId", "%SRCROOT%"}};
  return {{"uri", uriPath(File)}};
}

json sarifLocation(const Frame &F, const std::string &Root) {
  json Loc = json::object();
  if (F.hasSource()) {
    json Region = {{"startLine", F.Line}};
    if (F.Column)
      Region["startColumn"] = F.Column;
    Loc["physicalLocation"] = {{"artifactLocation", artifactLocation(F.File, Root)},
                               {"region", std::move(Region)}};
  }
  if (!F.Function.empty())
    Loc["logicalLocations"] = json::array(
        {{{"fullyQualifiedName", F.Function}, {"kind", "function"}}});
  return Loc;
}

std::string dotQuote(std::string_view S) {
  std::string Out = "\"";
  for (char C : S) {
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out + "\"";
}

} // namespace

std::string fingerprint(const Finding &F) {
  // FNV-1a, 64-bit: stable across runs, machines and compilers.
  uint64_t Hash = 0xcbf29ce484222325ULL;
  auto mix = [&](std::string_view S) {
    for (unsigned char C : S) {
      Hash ^= C;
      Hash *= 0x100000001b3ULL;
    }
    Hash ^= 0xff;
    Hash *= 0x100000001b3ULL;
  };
  mix(F.Check);
  mix(F.FingerprintKey.empty() ? F.Message : F.FingerprintKey);
  return fmt::format("{:016x}", Hash);
}

std::string renderText(const std::vector<Finding> &Findings, const ReportOptions &Opts) {
  std::string Out;
  for (const Finding &F : Findings) {
    if (!F.SuppressedBy.empty() && !Opts.ShowSuppressed)
      continue;
    Out += fmt::format("{}{}: {} [{}]\n", locationPrefix(F.Location),
                       severityName(F.Level), F.Message, F.Check);
    if (!F.SuppressedBy.empty())
      Out += fmt::format("{}note: not reported: {}\n", locationPrefix(F.Location),
                         F.SuppressedBy);
    for (const FindingNote &N : F.Notes)
      Out += fmt::format("{}note: {}\n", locationPrefix(N.Where), N.Message);
  }
  return Out;
}

std::string samplingNote(uint64_t SampledOut, std::string_view HowToRecordAll) {
  return fmt::format("{} lock acquisitions were not recorded: a call path that "
                     "has recorded max_edges_per_path new lock pairs in a "
                     "thread records only the pairs of a few new locks after that "
                     "(condition-variable waits and signals alike), "
                     "so a cycle through the others may be missing ({} "
                     "records all)",
                     SampledOut, HowToRecordAll);
}

std::string droppedReportsNote(uint64_t Dropped) {
  return fmt::format("{} run-time reports were dropped, too many at once for the "
                     "runtime's report ring: findings of a kind reported many "
                     "times at once may be missing",
                     Dropped);
}

std::string renderJson(const std::vector<Finding> &Findings, const ReportOptions &Opts) {
  json List = json::array();
  size_t Suppressed = 0;
  for (const Finding &F : Findings) {
    if (!F.SuppressedBy.empty()) {
      ++Suppressed;
      if (!Opts.ShowSuppressed)
        continue;
    }
    json J = findingToJson(F);
    J["fingerprint"] = fingerprint(F);
    List.push_back(std::move(J));
  }
  json Root = {{"format", "lockgraph-findings"},
               {"version", 1},
               {"findings", std::move(List)},
               {"suppressed_count", Suppressed}};
  if (!Opts.Notes.empty())
    Root["notes"] = Opts.Notes;
  return dump(Root);
}

std::string renderSarif(const std::vector<Finding> &Findings, const ReportOptions &Opts) {
  // Rules: every check that appears, in name order, so ruleIndex is stable.
  std::map<std::string, size_t> RuleIndex;
  for (const Finding &F : Findings)
    RuleIndex.emplace(F.Check, 0);
  json Rules = json::array();
  for (auto &[Name, Index] : RuleIndex) {
    Index = Rules.size();
    CheckInfo Info = checkInfo(Name);
    Rules.push_back({{"id", Name},
                     {"shortDescription", {{"text", std::string(Info.ShortDescription)}}},
                     {"fullDescription", {{"text", std::string(Info.Help)}}},
                     {"help", {{"text", std::string(Info.Help)}}},
                     {"defaultConfiguration", {{"level", "warning"}}}});
  }

  json Results = json::array();
  for (const Finding &F : Findings) {
    if (!F.SuppressedBy.empty() && !Opts.ShowSuppressed)
      continue;
    json Result = {{"ruleId", F.Check},
                   {"ruleIndex", RuleIndex[F.Check]},
                   {"level", severityName(F.Level)},
                   {"message", {{"text", F.Message}}},
                   {"locations", json::array({sarifLocation(F.Location, Opts.SourceRoot)})},
                   {"partialFingerprints", {{"lockgraphFingerprint/v1", fingerprint(F)}}}};
    json Related = json::array();
    for (size_t I = 0; I < F.Notes.size(); ++I) {
      json Loc = sarifLocation(F.Notes[I].Where, Opts.SourceRoot);
      Loc["id"] = I + 1;
      Loc["message"] = {{"text", F.Notes[I].Message}};
      Related.push_back(std::move(Loc));
    }
    if (!Related.empty())
      Result["relatedLocations"] = std::move(Related);
    if (!F.SuppressedBy.empty())
      Result["suppressions"] = json::array(
          {{{"kind", "external"}, {"justification", F.SuppressedBy}}});
    if (!F.Origin.empty())
      Result["properties"] = {{"origin", F.Origin}, {"locks", F.Locks}};
    Results.push_back(std::move(Result));
  }

  json Run = {{"tool",
               {{"driver",
                 {{"name", "lockgraph"},
                  {"version", Opts.ToolVersion},
                  {"informationUri", "https://github.com/lockgraph/lockgraph"},
                  {"rules", std::move(Rules)}}}}}};
  if (!Opts.SourceRoot.empty()) {
    std::string Root = Opts.SourceRoot.back() == '/' ? Opts.SourceRoot : Opts.SourceRoot + "/";
    Run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", "file://" + uriPath(Root)}}}};
  }
  Run["columnKind"] = "unicodeCodePoints";
  Run["results"] = std::move(Results);
  if (!Opts.Notes.empty()) {
    json Notifications = json::array();
    for (const std::string &Note : Opts.Notes)
      Notifications.push_back({{"level", "note"}, {"message", {{"text", Note}}}});
    Run["invocations"] = json::array(
        {{{"executionSuccessful", true},
          {"toolExecutionNotifications", std::move(Notifications)}}});
  }
  json Log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({std::move(Run)})}};
  return dump(Log);
}

std::string renderDot(const LockGraph &G, const std::vector<Finding> &Findings) {
  // Edges that belong to a reported (unsuppressed) cycle are drawn red.
  std::set<std::pair<std::string, std::string>> CycleEdges;
  for (const Finding &F : Findings) {
    if (!isCycleCheck(F.Check) || !F.SuppressedBy.empty())
      continue;
    for (size_t I = 0; I < F.Locks.size(); ++I)
      CycleEdges.emplace(F.Locks[I], F.Locks[(I + 1) % F.Locks.size()]);
  }
  std::string Out = "digraph lockgraph {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n";
  for (LockId L = 0; L < G.locks().size(); ++L)
    Out += fmt::format("  n{} [label={}{}];\n", L, dotQuote(G.lock(L).Name),
                       // Waits are drawn apart from locks: they are not held.
                       isWaitKind(G.lock(L).Kind) ? ", shape=ellipse" : "");
  for (const Edge &E : G.edges()) {
    bool InCycle = CycleEdges.count({G.lock(E.From).Name, G.lock(E.To).Name}) != 0;
    Out += fmt::format("  n{} -> n{} [label=\"{}\"{}];\n", E.From, E.To, E.totalCount(),
                       InCycle ? ", color=red, fontcolor=red, penwidth=2" : "");
  }
  Out += "}\n";
  return Out;
}

} // namespace lockgraph

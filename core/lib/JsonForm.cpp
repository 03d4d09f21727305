//===- JsonForm.cpp - JSON form of frames and findings --------------------===//
#include "JsonForm.h"

namespace lockgraph {

using json = nlohmann::ordered_json;

json frameToJson(const Frame &F) {
  json J = json::object();
  if (!F.Function.empty())
    J["function"] = F.Function;
  if (!F.File.empty())
    J["file"] = F.File;
  if (F.Line)
    J["line"] = F.Line;
  if (F.Column)
    J["column"] = F.Column;
  if (!F.Module.empty())
    J["module"] = F.Module;
  if (F.Offset)
    J["offset"] = F.Offset;
  return J;
}

json stackToJson(const Stack &S) {
  json J = json::array();
  for (const Frame &F : S)
    J.push_back(frameToJson(F));
  return J;
}

json findingToJson(const Finding &F) {
  json Notes = json::array();
  for (const FindingNote &N : F.Notes)
    Notes.push_back({{"location", frameToJson(N.Where)}, {"message", N.Message}});
  json J = {{"check", F.Check},
            {"severity", F.Level == Severity::Error ? "error" : "warning"},
            {"message", F.Message},
            {"location", frameToJson(F.Location)},
            {"notes", std::move(Notes)},
            {"locks", F.Locks},
            {"fingerprint_key", F.FingerprintKey}};
  if (!F.SuppressedBy.empty())
    J["suppressed_by"] = F.SuppressedBy;
  if (!F.Origin.empty())
    J["origin"] = F.Origin;
  return J;
}

} // namespace lockgraph

//===- JsonForm.h - JSON form of frames and findings (core-internal) ------===//
//
// Shared by the graph file (which stores recorded findings) and the JSON
// reporter, so a finding has exactly one JSON shape.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_CORE_LIB_JSONFORM_H
#define LOCKGRAPH_CORE_LIB_JSONFORM_H

#include "lockgraph/core/LockGraph.h"

#include <nlohmann/json.hpp>

namespace lockgraph {

nlohmann::ordered_json frameToJson(const Frame &F);
nlohmann::ordered_json stackToJson(const Stack &S);
nlohmann::ordered_json findingToJson(const Finding &F);

} // namespace lockgraph

#endif // LOCKGRAPH_CORE_LIB_JSONFORM_H

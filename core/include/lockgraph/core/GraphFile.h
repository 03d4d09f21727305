//===- GraphFile.h - Reading and writing lock-graph files -------*- C++ -*-===//
//
// The on-disk form of a LockGraph: JSON with a format name and version,
// documented in docs/graph-format.md. Written by the runtime (one file per
// process), by the analyzer (--export-graph) and read by `lockgraph report`.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_CORE_GRAPHFILE_H
#define LOCKGRAPH_CORE_GRAPHFILE_H

#include "lockgraph/core/LockGraph.h"
#include "lockgraph/core/Result.h"

#include <string>
#include <string_view>

namespace lockgraph {

inline constexpr std::string_view GraphFormatName = "lockgraph-graph";
inline constexpr int GraphFormatVersion = 1;

/// Who wrote a graph file; informational, kept in the file's "producer".
struct GraphProducer {
  std::string Tool;    ///< "lockgraph-runtime", "lockgraph-check", ...
  std::string Origin;  ///< default Origin for evidence that names none
  std::string Command; ///< the program or test that ran, when known
  int64_t Pid = 0;
};

/// Serializes \p G (and its recorded findings) as a graph file.
std::string serializeGraph(const LockGraph &G, const GraphProducer &P = {});

/// Parses graph-file text. \p SourceName names the input in errors
/// ("graph.json: line 3: ..."). Never throws; malformed, truncated or
/// wrong-version input gives one Error that names the problem.
Result<LockGraph> parseGraph(std::string_view Text, std::string_view SourceName);

/// Reads and parses the file at \p Path.
Result<LockGraph> readGraphFile(const std::string &Path);

/// Writes \p G to \p Path atomically: a temporary file in the same
/// directory, created exclusively (never following a symlink), then renamed
/// over \p Path. A reader never sees a half-written file.
Status writeGraphFileAtomic(const LockGraph &G, const std::string &Path,
                            const GraphProducer &P = {});

} // namespace lockgraph

#endif // LOCKGRAPH_CORE_GRAPHFILE_H

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

#include <functional>
#include <string>
#include <string_view>

namespace lockgraph {

inline constexpr std::string_view GraphFormatName = "lockgraph-graph";
/// The version written. Version 2 stores each distinct frame and stack once
/// (the "frames" and "stacks" tables) and refers to them by index.
inline constexpr int GraphFormatVersion = 2;
/// The oldest version still read (version 1: stacks inline in evidence).
inline constexpr int GraphFormatOldestVersion = 1;

/// Who wrote a graph file; informational, kept in the file's "producer".
struct GraphProducer {
  std::string Tool;    ///< "lockgraph-runtime", "lockgraph-check", ...
  std::string Origin;  ///< default Origin for evidence that names none
  std::string Command; ///< the program or test that ran, when known
  int64_t Pid = 0;
};

/// Maps an evidence stack of the graph being written to the stack to write.
/// A producer whose evidence shares a few stacks (the runtime: tens of
/// thousands of observations, a few dozen distinct stacks) keeps a cheap
/// stand-in in the graph and resolves it here. The result must stay valid
/// until the serialization returns; results at one address are taken to be
/// one stack.
using StackResolver = std::function<const Stack &(const Stack &)>;

/// Serializes \p G (and its recorded findings) as a graph file of version
/// GraphFormatVersion, one element per line. Each distinct frame and stack
/// is written once. \p Resolve, when given, maps every evidence stack first.
std::string serializeGraph(const LockGraph &G, const GraphProducer &P = {},
                           const StackResolver &Resolve = {});

/// Parses graph-file text. \p SourceName names the input in errors
/// ("graph.json: line 3: ..."). Reads versions GraphFormatOldestVersion to
/// GraphFormatVersion, streaming: each element of the big arrays is checked
/// and added as soon as it is parsed, so the whole document never exists as
/// one JSON tree. Never throws; malformed, truncated or wrong-version input
/// gives one Error that names the problem (a JSON syntax error first).
Result<LockGraph> parseGraph(std::string_view Text, std::string_view SourceName);

/// Reads and parses the file at \p Path.
Result<LockGraph> readGraphFile(const std::string &Path);

/// Writes \p G to \p Path atomically: a temporary file in the same
/// directory, created exclusively (never following a symlink), then renamed
/// over \p Path. A reader never sees a half-written file.
Status writeGraphFileAtomic(const LockGraph &G, const std::string &Path,
                            const GraphProducer &P = {},
                            const StackResolver &Resolve = {});

/// Writes \p G as a new file \p Stem.json, or, when a file of that name
/// exists (a process whose pid an earlier one of the same run had), as
/// \p Stem.2.json, \p Stem.3.json, ...: never replacing a file, and as
/// atomically as writeGraphFileAtomic. Returns the path written.
Result<std::string> writeNewGraphFile(const LockGraph &G, const std::string &Stem,
                                      const GraphProducer &P = {},
                                      const StackResolver &Resolve = {});

} // namespace lockgraph

#endif // LOCKGRAPH_CORE_GRAPHFILE_H

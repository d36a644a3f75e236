using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>A resolved eth_getLogs query: an inclusive block range, or one block by hash, and the criteria.</summary>
public sealed record LogQuery(ulong FromBlock, ulong ToBlock, Hash256? BlockHash, LogFilterCriteria Criteria);

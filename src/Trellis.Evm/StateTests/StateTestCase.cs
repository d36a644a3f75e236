using Trellis.Core;

namespace Trellis.Evm.StateTests;

/// <summary>One expected outcome in <c>post.Cancun</c>: which transaction variant, and what must result.</summary>
/// <param name="DataIndex"><c>indexes.data</c> into the transaction's data list.</param>
/// <param name="GasIndex"><c>indexes.gas</c> into its gas limits.</param>
/// <param name="ValueIndex"><c>indexes.value</c> into its values.</param>
/// <param name="ExpectedRoot"><c>hash</c>: the state root afterwards.</param>
/// <param name="ExpectedLogsHash"><c>logs</c>: Keccak-256 of the RLP list of the logs.</param>
/// <param name="ExpectException"><c>expectException</c>: the transaction must be rejected (null when it must execute).</param>
public sealed record StateTestCase(int DataIndex, int GasIndex, int ValueIndex, Hash256 ExpectedRoot, Hash256 ExpectedLogsHash, string? ExpectException);

using Trellis.Core;

namespace Trellis.Evm;

/// <summary>One log record emitted by LOG0..LOG4.</summary>
/// <param name="Address">The account whose code emitted it.</param>
/// <param name="Topics">Zero to four 32-byte topics, in stack order.</param>
/// <param name="Data">The memory bytes the LOG opcode named.</param>
public sealed record LogEntry(Address Address, Hash256[] Topics, byte[] Data);

namespace Trellis.Consensus.Raft;

/// <summary>One log entry: its position, the term in which a leader created it, and an opaque payload (an encoded block; empty for a leader's no-op).</summary>
/// <param name="Index">Position in the log, from 1.</param>
/// <param name="Term">The term of the leader that created it.</param>
/// <param name="Payload">The replicated bytes.</param>
public readonly record struct RaftEntry(long Index, long Term, ReadOnlyMemory<byte> Payload);

namespace Trellis.Cli.Bench;

/// <summary>Refusals at submission that share a message shape.</summary>
/// <param name="Shape">The message with numbers and hex replaced by <c>#</c>.</param>
/// <param name="Message">One message as the node sent it.</param>
/// <param name="Count">How many transactions were refused so.</param>
internal sealed record RejectionCount(string Shape, string Message, long Count);

namespace Trellis.Cli;

/// <summary>The streams a command reads and writes; tests substitute their own.</summary>
public sealed record CommandContext(TextWriter Output, TextWriter Error, Stream Input);

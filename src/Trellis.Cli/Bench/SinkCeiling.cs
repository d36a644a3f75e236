namespace Trellis.Cli.Bench;

/// <summary>The generator's own ceiling: the same transactions submitted the same way to an endpoint that discards them.</summary>
/// <param name="Transactions">Transactions submitted.</param>
/// <param name="Seconds">First submission to last answer.</param>
/// <param name="TransactionsPerSecond">Submission rate.</param>
/// <param name="GeneratorCpuPercent">The bench process's CPU (generator and in-process sink) over that time.</param>
internal sealed record SinkCeiling(long Transactions, double Seconds, double TransactionsPerSecond, double GeneratorCpuPercent);

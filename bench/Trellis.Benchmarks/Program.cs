using BenchmarkDotNet.Running;

namespace Trellis.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project bench/Trellis.Benchmarks -- --filter '*'</c>.
/// Each benchmark class carries its reference (the same operation through OpenSSL, or another engine) beside it,
/// measured in the same run.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Trellis.Benchmarks;

/// <summary>
/// BenchmarkDotNet columns for <see cref="EvmBenchmarks"/>: gas per operation and Mgas/s. The gas is measured in the
/// host process by running the workload (it is deterministic), because the benchmark itself runs in a child process.
/// </summary>
public sealed class EvmGasColumn : IColumn
{
    private static readonly ConcurrentDictionary<string, double> s_gasPerOperation = new();
    private readonly Kind _kind;

    /// <summary>Creates the column.</summary>
    public EvmGasColumn(Kind kind)
    {
        _kind = kind;
    }

    /// <summary>Which figure the column shows.</summary>
    public enum Kind
    {
        /// <summary>Gas used per operation (per transaction, including the 21,000 intrinsic gas).</summary>
        GasPerOperation,

        /// <summary>Millions of gas per second: gas per operation / mean time per operation.</summary>
        MegagasPerSecond,
    }

    /// <inheritdoc/>
    public string Id => $"{nameof(EvmGasColumn)}.{_kind}";

    /// <inheritdoc/>
    public string ColumnName => _kind == Kind.MegagasPerSecond ? "Mgas/s" : "Gas/op";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => (int)_kind;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => _kind == Kind.MegagasPerSecond
        ? "Millions of gas executed per second (gas per operation / mean time per operation)"
        : "Gas used per operation (whole transaction, including intrinsic gas)";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        string name = benchmarkCase.Descriptor.WorkloadMethod.Name;
        double gas = s_gasPerOperation.GetOrAdd(name, EvmWorkload.MeasureGasPerOperation);
        if (_kind == Kind.GasPerOperation)
        {
            return gas.ToString("N0", CultureInfo.InvariantCulture);
        }

        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null || statistics.Mean <= 0)
        {
            return "NA";
        }

        // Mean is nanoseconds per operation; gas / ns * 1000 = Mgas/s.
        return (gas / statistics.Mean * 1000).ToString("N1", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public override string ToString() => ColumnName;
}

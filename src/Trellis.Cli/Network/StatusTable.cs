using System.Globalization;
using System.Text;

namespace Trellis.Cli.Network;

/// <summary>Formats node statuses as an aligned text table (the live view of <c>up</c> and <c>status</c>).</summary>
internal static class StatusTable
{
    /// <summary>
    /// The table's lines: NODE, ROLE, HEIGHT, PEERS, then TPS when <paramref name="tps"/> is given, then RPC and
    /// STATE (the process or answer note from <paramref name="notes"/>, or "ok").
    /// </summary>
    public static List<string> Render(IReadOnlyList<NodeStatus> statuses, IReadOnlyList<double>? tps, IReadOnlyList<string?>? notes)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var rows = new List<string[]>(statuses.Count + 1);
        rows.Add(tps is null
            ? ["NODE", "ROLE", "HEIGHT", "PEERS", "RPC", "STATE"]
            : ["NODE", "ROLE", "HEIGHT", "PEERS", "TPS", "RPC", "STATE"]);
        for (int i = 0; i < statuses.Count; i++)
        {
            NodeStatus status = statuses[i];
            string state = notes?[i] ?? (status.Answered ? (status.Syncing == true ? "syncing" : "ok") : "down: " + status.Error);
            var row = new List<string>(7)
            {
                status.Node,
                status.Role ?? "-",
                status.Height?.ToString(CultureInfo.InvariantCulture) ?? "-",
                status.Peers?.ToString(CultureInfo.InvariantCulture) ?? "-",
            };
            if (tps is not null)
            {
                row.Add(status.Answered ? tps[i].ToString("0.0", CultureInfo.InvariantCulture) : "-");
            }

            row.Add(status.Rpc);
            row.Add(state);
            rows.Add([.. row]);
        }

        int columns = rows[0].Length;
        var widths = new int[columns];
        foreach (string[] row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        // Numbers are right-aligned so heights line up digit by digit.
        bool[] numeric = tps is null ? [false, false, true, true, false, false] : [false, false, true, true, true, false, false];
        var lines = new List<string>(rows.Count);
        var line = new StringBuilder();
        foreach (string[] row in rows)
        {
            line.Clear();
            for (int c = 0; c < columns; c++)
            {
                if (c > 0)
                {
                    line.Append("  ");
                }

                bool last = c == columns - 1;
                line.Append(numeric[c] ? row[c].PadLeft(widths[c]) : last ? row[c] : row[c].PadRight(widths[c]));
            }

            lines.Add(line.ToString());
        }

        return lines;
    }
}

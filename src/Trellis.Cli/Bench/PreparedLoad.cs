using System.Globalization;
using System.Text;
using Trellis.Core;

namespace Trellis.Cli.Bench;

/// <summary>
/// Every transaction of a run, signed, and grouped into JSON-RPC batch bodies ready to post, all built before timing
/// starts so the timed phase only sends bytes. Transaction <c>i</c> has JSON-RPC id <c>i</c>.
/// </summary>
internal sealed class PreparedLoad
{
    private PreparedLoad(Hash256[] hashes, byte[][] bodies, int batchSize, Dictionary<Hash256, int> indexByHash)
    {
        Hashes = hashes;
        Bodies = bodies;
        BatchSize = batchSize;
        IndexByHash = indexByHash;
    }

    /// <summary>The hash of each transaction, by index.</summary>
    public Hash256[] Hashes { get; }

    /// <summary>The request body of each batch: transactions <c>b * BatchSize</c> up to the next batch.</summary>
    public byte[][] Bodies { get; }

    /// <summary>Transactions per batch (the last batch may hold fewer).</summary>
    public int BatchSize { get; }

    /// <summary>Transaction index by hash (read-only once built, so readers on several threads are safe).</summary>
    public Dictionary<Hash256, int> IndexByHash { get; }

    /// <summary>Transactions in the run.</summary>
    public int Count => Hashes.Length;

    /// <summary>The first transaction of batch <paramref name="batch"/>.</summary>
    public int BatchStart(int batch) => batch * BatchSize;

    /// <summary>Transactions in batch <paramref name="batch"/>.</summary>
    public int BatchCount(int batch) => Math.Min(BatchSize, Count - (batch * BatchSize));

    /// <summary>Groups signed transactions (raw encodings and hashes by index) into batch bodies.</summary>
    public static PreparedLoad Create(Hash256[] hashes, byte[][] raw, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentNullException.ThrowIfNull(raw);
        int batches = (hashes.Length + batchSize - 1) / batchSize;
        var bodies = new byte[batches][];
        Parallel.For(0, batches, batch =>
        {
            int start = batch * batchSize;
            int end = Math.Min(hashes.Length, start + batchSize);
            var text = new StringBuilder((end - start) * ((raw[start].Length * 2) + 96));
            text.Append('[');
            for (int i = start; i < end; i++)
            {
                text.Append(i == start ? "{" : ",{").Append("\"jsonrpc\":\"2.0\",\"id\":").Append(i.ToString(CultureInfo.InvariantCulture))
                    .Append(",\"method\":\"eth_sendRawTransaction\",\"params\":[\"").Append(Hex.Encode(raw[i])).Append("\"]}");
            }

            text.Append(']');
            bodies[batch] = Encoding.ASCII.GetBytes(text.ToString());
        });

        var index = new Dictionary<Hash256, int>(hashes.Length);
        for (int i = 0; i < hashes.Length; i++)
        {
            index[hashes[i]] = i;
        }

        return new PreparedLoad(hashes, bodies, batchSize, index);
    }
}

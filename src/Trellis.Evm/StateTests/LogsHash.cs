using Trellis.Core;
using Trellis.Core.Rlp;

namespace Trellis.Evm.StateTests;

/// <summary>The <c>logs</c> value of a state test: Keccak-256 of RLP([[address, [topic, ...], data], ...]).</summary>
public static class LogsHash
{
    /// <summary>Hashes the logs of one transaction in emission order.</summary>
    public static Hash256 Compute(IReadOnlyList<LogEntry> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        return Keccak256.Hash(Encode(logs));
    }

    /// <summary>The RLP list of the logs.</summary>
    public static byte[] Encode(IReadOnlyList<LogEntry> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var writer = new RlpWriter();
        int outer = writer.StartList();
        foreach (var log in logs)
        {
            int entry = writer.StartList();
            writer.WriteBytes(log.Address.Bytes);
            int topics = writer.StartList();
            foreach (var topic in log.Topics)
            {
                writer.WriteBytes(topic.Bytes);
            }

            writer.EndList(topics);
            writer.WriteBytes(log.Data);
            writer.EndList(entry);
        }

        writer.EndList(outer);
        return writer.ToArray();
    }
}

using System.Globalization;
using System.Text.Json;

namespace Trellis.Cli.Bench;

/// <summary>Reads the answer to a batch of <c>eth_sendRawTransaction</c> calls and records each refusal.</summary>
internal static class BatchAnswer
{
    /// <summary>
    /// Records the refusals in <paramref name="response"/> (an array of answers whose ids are transaction indexes)
    /// for transactions <paramref name="start"/>..+<paramref name="count"/>; a single error object refuses them all,
    /// and so does an answer that is not JSON or omits a transaction.
    /// </summary>
    public static void Record(ReadOnlyMemory<byte> response, int start, int count, RunRecorder recorder, string node)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(response);
        }
        catch (JsonException)
        {
            RejectAll(start, count, recorder, $"{node} answered with something that is not JSON");
            return;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                RejectAll(start, count, recorder, $"{node} refused the batch: {BenchRpcClient.DescribeError(root)}");
                return;
            }

            int answered = 0;
            foreach (JsonElement item in root.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out JsonElement id) || !id.TryGetInt32(out int index) || index < start || index >= start + count)
                {
                    continue;
                }

                answered++;
                if (item.TryGetProperty("error", out JsonElement error) && error.ValueKind != JsonValueKind.Null)
                {
                    recorder.Reject(index, BenchRpcClient.DescribeError(item));
                }
            }

            if (answered < count)
            {
                // An answer missing from a batch is a refusal we cannot attribute; count those not seen in a block later.
                RejectUnanswered(root, start, count, recorder, $"{node} answered {answered.ToString(CultureInfo.InvariantCulture)} of {count.ToString(CultureInfo.InvariantCulture)} calls in a batch");
            }
        }
    }

    /// <summary>Records the same refusal for a whole batch.</summary>
    public static void RejectAll(int start, int count, RunRecorder recorder, string message)
    {
        for (int i = start; i < start + count; i++)
        {
            recorder.Reject(i, message);
        }
    }

    private static void RejectUnanswered(JsonElement root, int start, int count, RunRecorder recorder, string message)
    {
        var answered = new bool[count];
        foreach (JsonElement item in root.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out JsonElement id) && id.TryGetInt32(out int index) && index >= start && index < start + count)
            {
                answered[index - start] = true;
            }
        }

        for (int i = 0; i < count; i++)
        {
            if (!answered[i])
            {
                recorder.Reject(start + i, message);
            }
        }
    }
}

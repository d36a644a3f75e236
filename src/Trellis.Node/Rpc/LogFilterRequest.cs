using System.Text.Json;
using Trellis.Core;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Rpc;

/// <summary>A parsed filter object of eth_getLogs / eth_newFilter / eth_subscribe("logs"), before block tags are resolved.</summary>
internal sealed record LogFilterRequest(BlockParameter FromBlock, BlockParameter ToBlock, Hash256? BlockHash, LogFilterCriteria Criteria)
{
    /// <summary>Most topic positions a filter may name (logs carry at most four topics).</summary>
    public const int MaxTopics = 4;

    /// <summary>Most addresses or topic alternatives in one list, so one request cannot ask for unbounded work.</summary>
    public const int MaxListLength = 1000;

    public static LogFilterRequest Parse(JsonElement element, string path, bool allowRange = true)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw JsonRpcValue.Invalid(path, "a filter object", element);
        }

        BlockParameter from = BlockParameter.Latest;
        BlockParameter to = BlockParameter.Latest;
        Hash256? blockHash = null;
        bool hasRange = false;
        if (element.TryGetProperty("fromBlock", out JsonElement fromElement) && fromElement.ValueKind != JsonValueKind.Null)
        {
            from = JsonRpcValue.ReadBlockParameter(fromElement, path + ".fromBlock", allowHash: false);
            hasRange = true;
        }

        if (element.TryGetProperty("toBlock", out JsonElement toElement) && toElement.ValueKind != JsonValueKind.Null)
        {
            to = JsonRpcValue.ReadBlockParameter(toElement, path + ".toBlock", allowHash: false);
            hasRange = true;
        }

        if (element.TryGetProperty("blockHash", out JsonElement hashElement) && hashElement.ValueKind != JsonValueKind.Null)
        {
            if (hasRange)
            {
                throw JsonRpcException.InvalidParams($"{path}: blockHash cannot be combined with fromBlock or toBlock");
            }

            blockHash = JsonRpcValue.ReadHash(hashElement, path + ".blockHash");
        }

        if (!allowRange && (hasRange || blockHash is not null))
        {
            throw JsonRpcException.InvalidParams($"{path}: a logs subscription takes only address and topics");
        }

        var addresses = new List<Address>();
        if (element.TryGetProperty("address", out JsonElement addressElement))
        {
            string addressPath = path + ".address";
            switch (addressElement.ValueKind)
            {
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.String:
                    addresses.Add(JsonRpcValue.ReadAddress(addressElement, addressPath));
                    break;
                case JsonValueKind.Array:
                    RequireListLength(addressElement, addressPath);
                    int i = 0;
                    foreach (JsonElement item in addressElement.EnumerateArray())
                    {
                        addresses.Add(JsonRpcValue.ReadAddress(item, $"{addressPath}[{i++}]"));
                    }

                    break;
                default:
                    throw JsonRpcValue.Invalid(addressPath, "an address or an array of addresses", addressElement);
            }
        }

        var topics = new List<IReadOnlyList<Hash256>?>();
        if (element.TryGetProperty("topics", out JsonElement topicsElement) && topicsElement.ValueKind != JsonValueKind.Null)
        {
            string topicsPath = path + ".topics";
            if (topicsElement.ValueKind != JsonValueKind.Array)
            {
                throw JsonRpcValue.Invalid(topicsPath, "an array of topics", topicsElement);
            }

            if (topicsElement.GetArrayLength() > MaxTopics)
            {
                throw JsonRpcException.InvalidParams($"{topicsPath}: {topicsElement.GetArrayLength()} topic positions exceed the maximum of {MaxTopics}");
            }

            int position = 0;
            foreach (JsonElement topic in topicsElement.EnumerateArray())
            {
                string topicPath = $"{topicsPath}[{position++}]";
                switch (topic.ValueKind)
                {
                    case JsonValueKind.Null:
                        topics.Add(null);
                        break;
                    case JsonValueKind.String:
                        topics.Add([JsonRpcValue.ReadHash(topic, topicPath)]);
                        break;
                    case JsonValueKind.Array:
                        RequireListLength(topic, topicPath);
                        var alternatives = new List<Hash256>(topic.GetArrayLength());
                        int j = 0;
                        foreach (JsonElement alternative in topic.EnumerateArray())
                        {
                            // geth treats null inside an OR-list as "anything"; an empty list means the same.
                            if (alternative.ValueKind == JsonValueKind.Null)
                            {
                                alternatives.Clear();
                                break;
                            }

                            alternatives.Add(JsonRpcValue.ReadHash(alternative, $"{topicPath}[{j++}]"));
                        }

                        topics.Add(alternatives.Count == 0 ? null : alternatives);
                        break;
                    default:
                        throw JsonRpcValue.Invalid(topicPath, "a topic hash, null or an array of topic hashes", topic);
                }
            }
        }

        return new LogFilterRequest(from, to, blockHash, new LogFilterCriteria(addresses, topics));
    }

    private static void RequireListLength(JsonElement array, string path)
    {
        if (array.GetArrayLength() > MaxListLength)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.LimitExceeded, $"{path}: {array.GetArrayLength()} entries exceed the maximum of {MaxListLength}");
        }
    }
}

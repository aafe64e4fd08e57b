using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Client;

namespace Granary.Tests.Client;

/// <summary>Large entity lists go in batches of at most MaxEntitiesPerRequest, and the answer keeps the request's order.</summary>
public sealed class BatchingTests
{
    [Property(MaxTest = 100)]
    public Property Batches_are_bounded_and_their_answers_join_in_request_order() =>
        Prop.ForAll(Gen.Choose(1, 300).ToArbitrary(), Gen.Choose(1, 50).ToArbitrary(), (count, max) =>
        {
            var transport = new FakeTransport();
            using var client = FakeTransport.Client(transport, o => o.MaxEntitiesPerRequest = max);
            var ids = Enumerable.Range(0, count).Select(i => (long)((i * 7919) % 1000)).ToArray();

            var answer = client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a", "v:b").WithEntityColumn("user_id", ids)).GetAwaiter().GetResult();

            var sent = transport.Reads.SelectMany(r => r.EntityColumns[0].Values.Cast<long>()).ToArray();
            return transport.Reads.Count == (count + max - 1) / max
                && transport.Reads.All(r => r.EntityCount <= max)
                && sent.SequenceEqual(ids)
                && answer.EntityCount == count
                && Enumerable.Range(0, count).All(i =>
                    answer.GetInt64(i, "v:a") == ids[i] * 10
                    && answer.GetInt64(i, "v:b") == (ids[i] * 10) + 1
                    && answer.GetEventTimestamp(i, "v:a") == DateTimeOffset.UnixEpoch.AddSeconds(i % max));
        });

    [Fact]
    public async Task Entities_given_as_rows_are_batched_as_those_given_as_columns()
    {
        var transport = new FakeTransport();
        using var client = FakeTransport.Client(transport, o => o.MaxEntitiesPerRequest = 2);
        var request = OnlineFeaturesRequest.ForFeatures("v:a");
        foreach (var id in new long[] { 5, 6, 7 })
        {
            request.AddEntity(("user_id", id));
        }

        var answer = await client.GetOnlineFeaturesAsync(request);

        Assert.Equal([2, 1], transport.Reads.Select(r => r.EntityCount));
        Assert.Equal([50L, 60L, 70L], Enumerable.Range(0, 3).Select(i => answer.GetInt64(i, "v:a")!.Value));
    }

    [Fact]
    public void Rows_with_other_columns_than_the_first_are_refused_where_they_are_added()
    {
        var request = OnlineFeaturesRequest.ForFeatures("v:a").AddEntity(("user_id", 1L));

        Assert.Throws<ArgumentException>(() => request.AddEntity(("item_id", "x")));
        Assert.Throws<ArgumentException>(() => request.WithEntityColumn("item_id", ["a", "b"]));
        Assert.Equal(1, request.EntityCount);
        Assert.Throws<ArgumentException>(() => OnlineFeaturesRequest.ForFeatures("no_colon"));
    }

    [Fact]
    public async Task Typed_accessors_refuse_an_unknown_feature_and_a_mismatched_type()
    {
        var transport = new FakeTransport();
        using var client = FakeTransport.Client(transport);

        var answer = await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a").WithEntityColumn("user_id", [1L]));

        Assert.Equal(10d, answer.GetDouble(0, "v:a"));
        Assert.Equal("invalid_argument", Assert.Throws<GranaryClientException>(() => answer.GetString(0, "v:a")).Code);
        Assert.Equal("invalid_argument", Assert.Throws<GranaryClientException>(() => answer.GetInt64(0, "v:nope")).Code);
        Assert.Throws<ArgumentOutOfRangeException>(() => answer.GetStatus(1, "v:a"));
    }
}

using Granary.Core.Errors;
using Granary.Server.Http;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Client;

/// <summary>The server's memory of idempotency keys: one answer per key, bounded in time and count, a conflict for another body.</summary>
public sealed class IdempotentAnswersTests
{
    private static readonly byte[] BodyA = IdempotentAnswers.Hash("{\"a\": 1}"u8);
    private static readonly byte[] BodyB = IdempotentAnswers.Hash("{\"a\": 2}"u8);

    [Fact]
    public async Task A_repeat_gets_the_first_answer_and_another_body_is_a_conflict()
    {
        var answers = new IdempotentAnswers(new FakeTimeProvider());
        var (claim, _) = await answers.BeginAsync("push", "k", BodyA, default);
        claim!.Complete([1, 2, 3]);

        var (again, remembered) = await answers.BeginAsync("push", "k", BodyA, default);
        var conflict = await Assert.ThrowsAsync<GranaryException>(() => answers.BeginAsync("push", "k", BodyB, default));
        var (otherEndpoint, _) = await answers.BeginAsync("write-to-online-store", "k", BodyB, default);

        Assert.Null(again);
        Assert.Equal([1, 2, 3], remembered);
        Assert.Equal("conflict", conflict.Code);
        Assert.NotNull(otherEndpoint);
    }

    [Fact]
    public async Task A_repeat_waits_for_the_first_attempt_and_takes_over_when_it_fails()
    {
        var answers = new IdempotentAnswers(new FakeTimeProvider());
        var (first, _) = await answers.BeginAsync("push", "k", BodyA, default);

        var waiting = answers.BeginAsync("push", "k", BodyA, default);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        first!.Abandon();
        var (second, remembered) = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(second);
        Assert.Null(remembered);
    }

    [Fact]
    public async Task Keys_are_forgotten_after_their_lifetime_on_the_servers_clock()
    {
        var clock = new FakeTimeProvider();
        var answers = new IdempotentAnswers(clock, capacity: 100, lifetime: TimeSpan.FromMinutes(10));
        (await answers.BeginAsync("push", "k", BodyA, default)).Claim!.Complete([1]);

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Null((await answers.BeginAsync("push", "k", BodyA, default)).Claim);
        clock.Advance(TimeSpan.FromMinutes(1));
        var (claim, _) = await answers.BeginAsync("push", "k", BodyB, default);

        Assert.NotNull(claim);
    }

    [Fact]
    public async Task Past_its_capacity_the_oldest_key_is_forgotten_first()
    {
        var answers = new IdempotentAnswers(new FakeTimeProvider(), capacity: 3);
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            (await answers.BeginAsync("push", key, BodyA, default)).Claim!.Complete([1]);
        }

        Assert.Equal(3, answers.Count);
        Assert.NotNull((await answers.BeginAsync("push", "a", BodyA, default)).Claim);
        Assert.Null((await answers.BeginAsync("push", "d", BodyA, default)).Claim);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(IdempotentAnswers.MaxKeyLength + 1)]
    public async Task A_key_that_is_empty_or_too_long_is_refused(int length)
    {
        var answers = new IdempotentAnswers(new FakeTimeProvider());

        var e = await Assert.ThrowsAsync<GranaryException>(() => answers.BeginAsync("push", new string('k', length), BodyA, default));

        Assert.Equal("invalid_argument", e.Code);
    }
}

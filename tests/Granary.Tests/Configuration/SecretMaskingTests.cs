using Granary.Registry.Configuration;

namespace Granary.Tests.Configuration;

public sealed class SecretMaskingTests
{
    [Theory]
    [InlineData("password")]
    [InlineData("secret")]
    [InlineData("token")]
    [InlineData("api_key")]
    [InlineData("redis_password")]
    [InlineData("client_secret")]
    public void Values_of_secret_keys_are_masked_whole(string key)
    {
        var shown = SecretMasking.Show(key, "hunter2", "hunter2");

        Assert.Equal(SecretMasking.Mask, shown);
    }

    [Theory]
    [InlineData("join_keys")]
    [InlineData("token_count")]
    [InlineData("passwords")]
    [InlineData("secretary")]
    public void Keys_that_only_contain_a_secret_word_are_shown(string key)
    {
        var shown = SecretMasking.Show(key, "visible", "visible");

        Assert.Equal("visible", shown);
    }

    [Theory]
    [InlineData("Host=db;Username=u;Password=hunter2;Port=5432", "Host=db;Username=u;Password=***;Port=5432")]
    [InlineData("Host=db;password = hunter2", "Host=db;password = ***")]
    [InlineData("Host=db;Pwd=hunter2;Database=x", "Host=db;Pwd=***;Database=x")]
    [InlineData("localhost:6379,password=hunter2,ssl=true", "localhost:6379,password=***,ssl=true")]
    [InlineData("postgres://app:hunter2@db:5432/features", "postgres://app:***@db:5432/features")]
    [InlineData("https://ops:hunter2@monitoring.example.com/hook", "https://ops:***@monitoring.example.com/hook")]
    public void Passwords_inside_connection_strings_and_urls_are_masked_and_the_rest_is_kept(string value, string expected)
    {
        var shown = SecretMasking.Show("connection", value, value);

        Assert.Equal(expected, shown);
        Assert.DoesNotContain("hunter2", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Port=5432")]
    [InlineData("https://monitoring.example.com/a@b")]
    [InlineData("localhost:6379,defaultDatabase=2")]
    public void Values_without_a_password_are_shown_as_they_are(string value)
    {
        Assert.Equal(value, SecretMasking.Show("connection", value, value));
    }

    [Theory]
    [InlineData("${PROD_REDIS_PASSWORD}")]
    [InlineData("${API_SECRET:-none}")]
    [InlineData("Bearer ${auth_token}")]
    public void Values_that_came_from_a_secret_named_variable_are_masked_whole(string raw)
    {
        var shown = SecretMasking.Show("endpoint", raw, "expanded-value");

        Assert.Equal(SecretMasking.Mask, shown);
    }

    [Fact]
    public void Values_from_other_variables_are_shown_expanded()
    {
        var shown = SecretMasking.Show("connection", "${REDIS_HOST}:6379", "10.1.2.3:6379");

        Assert.Equal("10.1.2.3:6379", shown);
    }
}

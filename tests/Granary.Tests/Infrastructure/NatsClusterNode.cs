namespace Granary.Tests.Infrastructure;

/// <summary>One node's place in a <see cref="NatsCluster"/>: its ports, its name and the routes to the others.</summary>
internal sealed record NatsClusterNode(string ClusterName, string Name, int Port, int MonitorPort, string RouteUrl, IReadOnlyList<string> Routes);

using Google.Protobuf;
using Granary.Contracts.Grpc.V1;
using Grpc.Core;

namespace Granary.Tests.Server.Grpc;

/// <summary>
/// A client for <c>granary.v1.FeatureServing</c> built from the message types Granary.Server already compiles.
/// The server project generates no client, and generating messages again here would clash with its public ones;
/// four method descriptors are all a generated client adds.
/// </summary>
internal sealed class FeatureServingClient(CallInvoker invoker)
{
    private const string Service = "granary.v1.FeatureServing";

    private static readonly Method<GetOnlineFeaturesRequest, GetOnlineFeaturesResponse> GetOnlineFeaturesMethod = Unary("GetOnlineFeatures", GetOnlineFeaturesRequest.Parser, GetOnlineFeaturesResponse.Parser);
    private static readonly Method<PushRequest, PushResponse> PushMethod = Unary("Push", PushRequest.Parser, PushResponse.Parser);
    private static readonly Method<WriteToOnlineStoreRequest, WriteToOnlineStoreResponse> WriteMethod = Unary("WriteToOnlineStore", WriteToOnlineStoreRequest.Parser, WriteToOnlineStoreResponse.Parser);
    private static readonly Method<HealthRequest, HealthResponse> HealthMethod = Unary("Health", HealthRequest.Parser, HealthResponse.Parser);

    public AsyncUnaryCall<GetOnlineFeaturesResponse> GetOnlineFeaturesAsync(GetOnlineFeaturesRequest request, Metadata? headers = null) =>
        invoker.AsyncUnaryCall(GetOnlineFeaturesMethod, null, new CallOptions(headers), request);

    public AsyncUnaryCall<PushResponse> PushAsync(PushRequest request) => invoker.AsyncUnaryCall(PushMethod, null, default, request);

    public AsyncUnaryCall<WriteToOnlineStoreResponse> WriteToOnlineStoreAsync(WriteToOnlineStoreRequest request) =>
        invoker.AsyncUnaryCall(WriteMethod, null, default, request);

    public AsyncUnaryCall<HealthResponse> HealthAsync() => invoker.AsyncUnaryCall(HealthMethod, null, default, new HealthRequest());

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(MethodType.Unary, Service, name, Marshallers.Create(m => m.ToByteArray(), request.ParseFrom), Marshallers.Create(m => m.ToByteArray(), response.ParseFrom));
}

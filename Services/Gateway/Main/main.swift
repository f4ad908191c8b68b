import Gateway

await GatewayMain.main()

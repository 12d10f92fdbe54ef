def test_push(make_node, client):
    node = make_node()
    events = [node.payment(100 + i) for i in range(5)]
    r = node.push(client, events)
    print(r.status_code, r.text[:500])
    assert r.status_code == 200
    r = node.push(client, events)
    print(r.text[:300])
    r = node.hello(client, {"payments": 5})
    print(r.text)

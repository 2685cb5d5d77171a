"""The serving peer: what a Python user would write to serve the notebook's network.

FastAPI + uvicorn (one worker), torch 1.13: POST /predict {"image": base64 PNG} -> label,
index, probability, top 3; POST /predictBatch {"images": [...]} in one forward pass; the same
answer for the image as the raw body (POST /predict/raw) or a form's file (POST /predict/form,
field "image"); POST /v2/models/cifar10/infer, the Open Inference Protocol's inference on UINT8
pixels [N,3,32,32] or BYTES images [N], answering FP32 probabilities [N,10].
Weights are the network's initial ones: latency does not depend on them.
Run: /usr/bin/python3 bench/peer/serve_fastapi.py --port 8092
"""
import argparse, base64, io, os, sys
import torch, torch.nn as nn
import torchvision.transforms as T
from PIL import Image
from fastapi import FastAPI, File, Request as HttpRequest, UploadFile
from starlette.concurrency import run_in_threadpool
from pydantic import BaseModel
from typing import List, Optional
import uvicorn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_notebook import Net

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
torch.set_num_threads(2)
model = Net().eval()
transform = T.Compose([T.Resize((32, 32)), T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
app = FastAPI()

class Request(BaseModel):
    image: str
    top: Optional[int] = 3

class Batch(BaseModel):
    images: List[Request]

def tensor(b64):
    return image_tensor(base64.b64decode(b64))

def image_tensor(data):
    return transform(Image.open(io.BytesIO(data)).convert("RGB"))

def predict_bytes(data, k=3):
    with torch.no_grad():
        p = model(image_tensor(data).unsqueeze(0)).softmax(1)[0]
    return answer(p, k)

def answer(p, k):
    values, idx = p.topk(k)
    return {"label": CLASSES[idx[0]], "index": int(idx[0]), "probability": float(values[0]),
            "top": [{"label": CLASSES[i], "probability": float(v)} for v, i in zip(values, idx)]}

@app.post("/predict")
def predict(r: Request):
    with torch.no_grad():
        p = model(tensor(r.image).unsqueeze(0)).softmax(1)[0]
    return answer(p, r.top)

@app.post("/predictBatch")
def predict_batch(b: Batch):
    with torch.no_grad():
        p = model(torch.stack([tensor(r.image) for r in b.images])).softmax(1)
    return {"predictions": [answer(row, 3) for row in p]}

@app.post("/predict/raw")
async def predict_raw(request: HttpRequest):
    return await run_in_threadpool(predict_bytes, await request.body())

@app.post("/predict/form")
async def predict_form(image: UploadFile = File(...)):
    return await run_in_threadpool(predict_bytes, await image.read())

@app.post("/v2/models/cifar10/infer")
def infer(body: dict):
    tensor_in = body["inputs"][0]
    if tensor_in["datatype"] == "UINT8":
        x = torch.tensor(tensor_in["data"], dtype=torch.float32).reshape(tensor_in["shape"]) / 255.0
        x = (x - 0.5) / 0.5
    else:
        x = torch.stack([tensor(b) for b in tensor_in["data"]])
    with torch.no_grad():
        p = model(x).softmax(1)
    return {"model_name": "cifar10", "outputs": [{"name": "probabilities", "datatype": "FP32",
            "shape": list(p.shape), "data": p.flatten().tolist()}]}

@app.get("/health")
def health():
    return {"status": "UP"}

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8092)
    uvicorn.run(app, host="127.0.0.1", port=ap.parse_args().port, workers=1, log_level="warning")

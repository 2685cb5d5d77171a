// Replaces DJL's PyTorchLibrary.torchFromBlob when DJL's JNI (built for libtorch 2.7.1) runs on
// a newer libtorch: at::from_blob is inline in the headers, and the 2.7.1 layout of its
// TensorMaker no longer matches the library ("set_stride is not allowed on a Tensor created
// from .data or .detach()"). Built on the GPU machine against that machine's own headers by
// bench/device/run.sh, loaded by TrainOnDevice after the engine, where JNI_OnLoad rebinds the
// native method. Same contract as DJL's: CPU tensors share the direct buffer, others are copied.
#include <jni.h>
#include <ATen/ATen.h>
#include <c10/core/SymBool.h>
#include <c10/core/SymInt.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

at::ScalarType scalarType(jint djlOrdinal) {
  switch (djlOrdinal) {  // ai.djl.ndarray.types.DataType ordinals
    case 0: return at::kFloat;
    case 1: return at::kDouble;
    case 2: return at::kHalf;
    case 3: return at::kByte;
    case 4: return at::kInt;
    case 5: return at::kChar;
    case 6: return at::kLong;
    case 7: return at::kBool;
    case 8: return at::kComplexFloat;
    case 11: return at::kBFloat16;
    case 15: return at::kShort;
    default: throw std::invalid_argument("unsupported DJL data type " + std::to_string(djlOrdinal));
  }
}

jlong JNICALL fromBlob(JNIEnv* env, jobject, jobject buffer, jlongArray jshape, jint dtype, jint layout,
                       jintArray jdevice, jboolean requiresGrad) {
  try {
    std::vector<int64_t> shape(env->GetArrayLength(jshape));
    env->GetLongArrayRegion(jshape, 0, static_cast<jsize>(shape.size()), shape.data());
    jint device[2];
    env->GetIntArrayRegion(jdevice, 0, 2, device);
    auto options = at::TensorOptions();
    if (dtype != 9) {
      options = options.dtype(scalarType(dtype));
    }
    at::Tensor result = at::from_blob(env->GetDirectBufferAddress(buffer), shape, options);
    if (layout == 1) {
      result = result.to_sparse();
    } else if (layout == 2) {
      result = result.to_mkldnn();
    }
    c10::Device target(static_cast<c10::DeviceType>(device[0]), static_cast<c10::DeviceIndex>(device[1]));
    if (!target.is_cpu()) {
      result = result.to(target);
    }
    if (requiresGrad) {
      result.set_requires_grad(true);
    }
    return reinterpret_cast<jlong>(new at::Tensor(result));
  } catch (const std::exception& e) {
    env->ThrowNew(env->FindClass("ai/djl/engine/EngineException"), e.what());
    return 0;
  }
}

}  // namespace

// Functions DJL's 2.7.1 JNI links against that this libtorch no longer exports; TrainOnDevice
// opens this library RTLD_GLOBAL before the engine starts, so the dynamic linker binds them here.
c10::SymBool cifarSymNe(const c10::SymInt* self, const c10::SymInt& other) __asm__("_ZNK3c106SymInt6sym_neERKS0_");
c10::SymBool cifarSymNe(const c10::SymInt* self, const c10::SymInt& other) {
  return c10::SymBool(self->expect_int() != other.expect_int());
}

extern "C" int cudaSetDevice(int device);
void cifarSetDevice(int8_t device) __asm__("_ZN3c104cuda9SetDeviceEa");
void cifarSetDevice(int8_t device) {
  int error = cudaSetDevice(device);
  if (error != 0) {
    throw std::runtime_error("cudaSetDevice(" + std::to_string(device) + ") failed: " + std::to_string(error));
  }
}

void cifarCudaCheck(int error, const char* file, const char* function, int line, bool)
    __asm__("_ZN3c104cuda29c10_cuda_check_implementationEiPKcS2_ib");
void cifarCudaCheck(int error, const char* file, const char* function, int line, bool) {
  if (error != 0) {
    throw std::runtime_error("CUDA error " + std::to_string(error) + " in " + function + " at " + file + ":"
                             + std::to_string(line));
  }
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
  JNIEnv* env = nullptr;
  if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) {
    return JNI_ERR;
  }
  jclass library = env->FindClass("ai/djl/pytorch/jni/PyTorchLibrary");
  JNINativeMethod method{const_cast<char*>("torchFromBlob"), const_cast<char*>("(Ljava/nio/ByteBuffer;[JII[IZ)J"),
                         reinterpret_cast<void*>(fromBlob)};
  if (library == nullptr || env->RegisterNatives(library, &method, 1) != 0) {
    return JNI_ERR;
  }
  return JNI_VERSION_1_8;
}
